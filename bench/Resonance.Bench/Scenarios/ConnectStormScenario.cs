using System.Collections.Concurrent;
using System.Diagnostics;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Contracts;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// U users open their connection at the same moment (bare sockets, binary protobuf). Times the
/// upgrade, the welcome and the first sync, which the gateway answers only once the user's route is
/// written, so "synced" means connected and routed. Users are paired in direct sessions to sync.
/// </summary>
internal static class ConnectStormScenario
{
    private const int SetupParallelism = 16;
    private const int WarmupParallelism = 4;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(ConnectStormSettings settings, BenchTarget target, ScenarioReport report, CancellationToken cancellationToken)
    {
        var budget = ConnectionBudget.Max(target.InProcess);
        var users = Math.Min(settings.Users, budget);
        if (users < settings.Users)
        {
            report.Note($"Users capped at {users} (asked {settings.Users}; connection budget {budget}).");
        }

        if (users < 2)
        {
            throw new ArgumentException("connect-storm needs at least two users.");
        }

        report.Parameter("users connecting at once", $"{users} (one connection each)");
        report.Parameter("warmup users", $"{settings.Warmup} (connected, synced and closed before the storm, {WarmupParallelism} at a time)");
        report.Parameter("client", "bare ClientWebSocket, binary protobuf; first command a sync of a direct session");

        var names = new RunNames();
        if (settings.Warmup > 1)
        {
            BenchLog.Info($"connect-storm: warming up with {settings.Warmup} users, {WarmupParallelism} at a time");
            var (warmTokens, warmSessions) = await PrepareAsync(target, names.Users("w", settings.Warmup), cancellationToken);
            await Parallel.ForAsync(0, settings.Warmup, new ParallelOptions { MaxDegreeOfParallelism = WarmupParallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    await using var connection = await RawConnection.ConnectAsync(target.SocketAddress, warmTokens[i], null, ct);
                    await connection.SyncAsync(warmSessions[i], 0, ct);
                });
        }

        var usernames = names.Users("u", users);
        BenchLog.Info($"connect-storm: {users} tokens and {(users + 1) / 2} direct sessions");
        var (tokens, sessionOf) = await PrepareAsync(target, usernames, cancellationToken);

        var skew = new LatencyRecorder();
        var upgrade = new LatencyRecorder();
        var welcome = new LatencyRecorder();
        var synced = new LatencyRecorder();
        var syncAfterWelcome = new LatencyRecorder();
        var connections = new RawConnection?[users];
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long lastWelcomed = 0, lastSynced = 0, stormStarted = 0;

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        var attempts = Enumerable.Range(0, users).Select(async i =>
        {
            await go.Task;
            var began = Stopwatch.GetTimestamp();
            skew.Record(Volatile.Read(ref stormStarted), began);
            try
            {
                var connection = await RawConnection.ConnectAsync(target.SocketAddress, tokens[i], null, timeout.Token);
                connections[i] = connection;
                upgrade.Record(began, connection.UpgradedAt);
                welcome.Record(began, connection.WelcomedAt);
                InterlockedMax(ref lastWelcomed, connection.WelcomedAt);
                await connection.SyncAsync(sessionOf[i], 0, timeout.Token);
                var at = Stopwatch.GetTimestamp();
                synced.Record(began, at);
                syncAfterWelcome.Record(connection.WelcomedAt, at);
                InterlockedMax(ref lastSynced, at);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                errors.AddOrUpdate(ex.GetType().Name + ": " + ex.Message, 1, (_, n) => n + 1);
            }
        }).ToArray();

        BenchLog.Info($"connect-storm: {users} connections at once");
        Volatile.Write(ref stormStarted, Stopwatch.GetTimestamp());
        go.SetResult();
        await Task.WhenAll(attempts);
        var stormEnded = Stopwatch.GetTimestamp();

        var succeeded = synced.Count;
        report.Metric("connections welcomed", welcome.Count, "conn");
        report.Metric("connections synced (connected and routed)", succeeded, "conn");
        report.Metric("failures", users - succeeded, "conn");
        report.Metric("storm start → last welcome", lastWelcomed == 0 ? 0 : Math.Round(Stopwatch.GetElapsedTime(stormStarted, lastWelcomed).TotalMilliseconds, 1), "ms");
        if (succeeded == users)
        {
            report.Metric("storm start → all connected and routed", Math.Round(Stopwatch.GetElapsedTime(stormStarted, lastSynced).TotalMilliseconds, 1), "ms");
        }
        report.Metric("storm start → all attempts ended", Math.Round(Stopwatch.GetElapsedTime(stormStarted, stormEnded).TotalMilliseconds, 1), "ms");
        report.Latency("storm start → attempt began (bench side)", skew);
        report.Latency("connect → upgrade (101)", upgrade);
        report.Latency("connect → welcome", welcome);
        report.Latency("connect → first sync answered", synced);
        report.Latency("welcome → first sync answered", syncAfterWelcome);
        foreach (var (error, count) in errors)
        {
            report.Note($"{count} × {error}");
        }

        BenchLog.Info("connect-storm: closing connections");
        var closeStarted = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(connections.OfType<RawConnection>(), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (connection, _) => await connection.DisposeAsync());
        report.Metric("teardown: all closed in", Math.Round(Stopwatch.GetElapsedTime(closeStarted).TotalMilliseconds, 1), "ms");
    }

    /// <summary>Tokens, and for each user a direct session to sync: pairs (0,1), (2,3)…; an odd last user pairs with user 0.</summary>
    private static async Task<(string[] Tokens, string[] Sessions)> PrepareAsync(BenchTarget target, string[] usernames, CancellationToken cancellationToken)
    {
        var users = usernames.Length;
        var tokens = await target.Rest.GetTokensAsync(usernames, SetupParallelism, cancellationToken);
        var sessionOf = new string[users];
        await Parallel.ForAsync(0, (users + 1) / 2, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (pair, ct) =>
            {
                var first = pair * 2;
                var second = first + 1 < users ? first + 1 : 0;
                var session = await target.Rest.CreateSessionAsync(tokens[first], SessionKinds.Direct, [usernames[second]], ct);
                sessionOf[first] = session;
                if (second != 0)
                {
                    sessionOf[second] = session;
                }
            });
        return (tokens, sessionOf);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
