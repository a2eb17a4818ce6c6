using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Bench.Servers;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.ReconnectStorm;

/// <summary>
/// <c>reconnect-storm</c>: N clients in group sessions, all connected and synced; then every connection drops at
/// once (reset, no close frame), a writer stores messages into every session while they are away, and all
/// reconnect at once and sync from their last seq while the writer keeps sending. Time until all are back and
/// synced; every message stored must reach every member (lost must be 0). Resonance only: the baselines keep
/// no history to sync from.
/// </summary>
internal static class ReconnectStormScenario
{
    private const int Parallelism = 64;
    internal static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private static readonly SideBySideColumn[] Columns =
    [
        new("clients", "clients"),
        new("sessions", "sessions"),
        new("stored while away", "storedWhileAway"),
        new("stored during storm", "storedDuringStorm"),
        new("reconnected", "reconnected"),
        new("synced", "synced"),
        new("failed", "failed"),
        new("→ all welcomed ms", "stormToAllWelcomedMs"),
        new("→ all synced ms", "stormToAllSyncedMs"),
        new("synced p50 ms", "stormToSyncedMs.p50"),
        new("synced p99 ms", "stormToSyncedMs.p99"),
        new("lost", "lost"),
        new("seen twice", "seenTwice"),
        new("skipped", "skipped"),
    ];

    public static async Task<int> RunAsync(ReconnectStormSettings settings, string? jsonPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var report = new SideBySideReport("reconnect-storm");
        var sessions = (settings.Count + settings.GroupSize - 1) / settings.GroupSize;
        report.Parameter("clients", settings.Count);
        report.Parameter("group sessions", $"{sessions} ({settings.GroupSize} clients + the writer each)");
        report.Parameter("stored per session while away", settings.AwayMessages);
        report.Parameter("writer rate during the storm", $"{settings.StormRate} msg/s over all sessions, until everyone is synced");
        report.Parameter("drop", "every client socket aborted at once (TCP reset, no close frame)");
        report.Parameter("reconnect", $"all at once; each syncs its session from the highest seq it had every message up to, {ReconnectStormSettings.SyncPage} per page, until has_more is false");
        report.Parameter("server", $"Resonance standalone host in a process of its own (Storage:Synchronous={settings.Synchronous}); clients and writer in this process");

        var figures = report.System(FanoutComparison.Resonance);
        report.System(FanoutComparison.SignalR)["skipped"] = "no history to sync";
        report.System(FanoutComparison.Raw)["skipped"] = "no history to sync";
        report.Notes.Add("signalr and raw not run: they store nothing and have no sync, so a client that was away has lost what was sent meanwhile.");
        var exitCode = 0;
        try
        {
            await RunResonanceAsync(settings, sessions, figures, limit.Token);
            if ((long?)figures["lost"] != 0 || (int?)figures["synced"] != settings.Count)
            {
                exitCode = 1;
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            figures["failure"] = cancellationToken.IsCancellationRequested ? "interrupted" : $"stopped by the {timeout.TotalSeconds:0} s time limit";
            exitCode = 2;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or System.Net.WebSockets.WebSocketException or TimeoutException or ResonanceException)
        {
            figures["failure"] = $"{ex.GetType().Name}: {ex.Message}";
            exitCode = 1;
        }

        if (figures["failure"] is { } failure)
        {
            report.Notes.Add($"resonance: {failure}");
        }

        report.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
        SideBySidePrinter.Print(report, "reconnect-storm: everyone drops, the writer goes on, everyone comes back and syncs", Columns);
        var path = await SideBySideJsonWriter.WriteAsync(report, jsonPath, CancellationToken.None);
        BenchLog.Info($"wrote {path}");
        return exitCode;
    }

    private static async Task RunResonanceAsync(ReconnectStormSettings settings, int sessionCount, JsonObject figures, CancellationToken cancellationToken)
    {
        var count = settings.Count;
        figures["clients"] = count;
        figures["sessions"] = sessionCount;
        BenchLog.Info("reconnect-storm: starting the server process");
        await using var server = await ServerProcess.StartAsync(FanoutComparison.Resonance, settings.Synchronous, cancellationToken);
        using var rest = new RestClient(server.BaseAddress);
        var socket = ListeningAddress.Socket(server.BaseAddress, "/ws");
        var names = new RunNames();
        var clients = names.Users("r", count);
        BenchLog.Info($"reconnect-storm: {count + 1} tokens, {sessionCount} group sessions");
        var tokens = await rest.GetTokensAsync([names.User("writer", 0), .. clients], 16, cancellationToken);
        var sessionIds = new string[sessionCount];
        await Parallel.ForAsync(0, sessionCount, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (s, ct) =>
        {
            var members = clients.Skip(s * settings.GroupSize).Take(settings.GroupSize);
            sessionIds[s] = await rest.CreateSessionAsync(tokens[0], SessionKinds.Group, members, ct);
        });
        string SessionOf(int client) => sessionIds[client / settings.GroupSize];
        var ledgers = Enumerable.Range(0, count).Select(_ => new SeqLedger()).ToArray();
        Action<WsPacket, long> OnPacket(int client) => (packet, _) =>
        {
            if (packet.BodyCase == WsPacket.BodyOneofCase.Push && packet.Push.SessionId == SessionOf(client))
            {
                ledgers[client].Record(packet.Push.Seq);
            }
        };

        await using var writer = await AckedSender.ConnectAsync(socket, tokens[0], cancellationToken);
        var connections = new RawConnection?[count];
        BenchLog.Info($"reconnect-storm: connecting and syncing {count} clients");
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            connections[i] = await RawConnection.ConnectAsync(socket, tokens[i + 1], OnPacket(i), ct);
            await SessionSync.CatchUpAsync(connections[i]!, SessionOf(i), ledgers[i], ct);
        });

        try
        {
            // One message each while everyone is online, so every client has a last seq to resume from.
            await Task.WhenAll(sessionIds.Select(s => writer.SendAsync(s, "before the drop", cancellationToken)));
            await SeqLedger.WaitUntilAllHaveAsync(ledgers, i => writer.LastSeq(SessionOf(i)), StepTimeout, cancellationToken);

            BenchLog.Info($"reconnect-storm: dropping all {count} connections");
            foreach (var connection in connections)
            {
                connection!.Drop();
            }

            await Parallel.ForEachAsync(connections, cancellationToken, async (c, _) => await c!.DisposeAsync());
            Array.Clear(connections);

            BenchLog.Info($"reconnect-storm: storing {settings.AwayMessages} messages in each session while they are away");
            for (var m = 0; m < settings.AwayMessages; m++)
            {
                await Task.WhenAll(sessionIds.Select(s => writer.SendAsync(s, "while away", cancellationToken)));
            }

            figures["storedWhileAway"] = (long)settings.AwayMessages * sessionCount;

            using var stopWriting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var storedDuringStorm = 0L;
            var writing = StormWriter.WriteOnScheduleAsync(writer, sessionIds, settings.StormRate, () => Interlocked.Increment(ref storedDuringStorm), stopWriting.Token);

            var welcomed = new LatencyRecorder();
            var synced = new LatencyRecorder();
            var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            long lastWelcomed = 0, lastSynced = 0;
            var syncedCount = 0;
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stormStarted = 0L;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StepTimeout);
            var attempts = Enumerable.Range(0, count).Select(async i =>
            {
                await go.Task;
                try
                {
                    var connection = await RawConnection.ConnectAsync(socket, tokens[i + 1], OnPacket(i), timeout.Token);
                    connections[i] = connection;
                    welcomed.Record(stormStarted, connection.WelcomedAt);
                    InterlockedMax(ref lastWelcomed, connection.WelcomedAt);
                    await SessionSync.CatchUpAsync(connection, SessionOf(i), ledgers[i], timeout.Token);
                    var at = Stopwatch.GetTimestamp();
                    synced.Record(stormStarted, at);
                    InterlockedMax(ref lastSynced, at);
                    Interlocked.Increment(ref syncedCount);
                }
                catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException or ResonanceException or InvalidOperationException)
                {
                    errors.AddOrUpdate($"{ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
                }
            }).ToArray();

            BenchLog.Info($"reconnect-storm: {count} clients reconnect at once");
            await ProgressDisplay.RunAsync("reconnect-storm: back and synced", count, async report =>
            {
                stormStarted = Stopwatch.GetTimestamp();
                go.SetResult();
                var all = Task.WhenAll(attempts);
                using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
                while (!all.IsCompleted && await tick.WaitForNextTickAsync(cancellationToken))
                {
                    report(Volatile.Read(ref syncedCount));
                }

                await all;
                report(Volatile.Read(ref syncedCount));
                return 0;
            });

            await stopWriting.CancelAsync();
            await writing;
            figures["storedDuringStorm"] = Interlocked.Read(ref storedDuringStorm);
            figures["reconnected"] = welcomed.Count;
            figures["synced"] = syncedCount;
            figures["failed"] = count - syncedCount;
            if (!errors.IsEmpty)
            {
                figures["errors"] = new JsonArray([.. errors.Select(e => (JsonNode?)$"{e.Value}× {e.Key}")]);
            }

            figures["stormToAllWelcomedMs"] = lastWelcomed == 0 ? null : Math.Round(Stopwatch.GetElapsedTime(stormStarted, lastWelcomed).TotalMilliseconds, 1);
            figures["stormToAllSyncedMs"] = lastSynced == 0 ? null : Math.Round(Stopwatch.GetElapsedTime(stormStarted, lastSynced).TotalMilliseconds, 1);
            figures["stormToWelcomeMs"] = LatencyJson.Of(welcomed.Summarize("storm start → welcome"));
            figures["stormToSyncedMs"] = LatencyJson.Of(synced.Summarize("storm start → synced"));

            // Everything the writer had acked must be with every member of its session, by push or by sync.
            await SeqLedger.WaitUntilAllHaveAsync(ledgers, i => writer.LastSeq(SessionOf(i)), ReconnectStormSettings.Drain, cancellationToken, throwOnTimeout: false);
            figures["lost"] = Enumerable.Range(0, count).Sum(i => ledgers[i].MissingUpTo(writer.LastSeq(SessionOf(i))));
            figures["seenTwice"] = ledgers.Sum(l => l.Repeats);
            figures["lastSeqPerSession"] = sessionIds.Max(writer.LastSeq);
            BenchLog.Info($"reconnect-storm: {syncedCount} of {count} back and synced in {figures["stormToAllSyncedMs"]} ms; lost {figures["lost"]}");
        }
        finally
        {
            await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (c, _) => await c!.DisposeAsync());
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
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
