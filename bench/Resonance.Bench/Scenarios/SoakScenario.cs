using System.Diagnostics;
using System.Globalization;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Bench.Servers;
using Resonance.Client;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// Hours-long shape in minutes: P direct sessions with steady chat, one group with steady fan-out and a trickle
/// of connections opened and closed, against the standalone host in its own process for D seconds. The server's
/// resident set (<c>/proc/&lt;pid&gt;/status</c>) and managed heap are sampled every few seconds; after the
/// warmup, the last samples are compared with the first. Every acked message must reach every receiver.
/// </summary>
internal static class SoakScenario
{
    private const int SetupParallelism = 16;
    private const int ChurnUsers = 10;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(SoakSettings settings, ServerProcess server, BenchTarget target, ScenarioReport report, SoakOutcome outcome, CancellationToken cancellationToken)
    {
        var groupReceivers = settings.GroupMembers - 1;
        report.Parameter("server", $"standalone host in a process of its own (serve --system resonance), process {server.Pid}");
        report.Parameter("chat", $"{settings.Pairs} direct sessions, {settings.ChatRate:0.##} msg/s over all of them, each sender on a fixed schedule");
        report.Parameter("fan-out", $"one group of {settings.GroupMembers} (sender + {groupReceivers} of the chat receivers), {settings.FanoutRate:0.##} msg/s");
        report.Parameter("churn", $"{settings.ChurnRate:0.##} extra connections a second, each welcomed and closed");
        report.Parameter("connections held", $"{(2 * settings.Pairs) + 1} (senders on ResonanceClient, receivers on bare sockets)");
        report.Parameter("duration", $"{settings.Duration.TotalSeconds:0} s, of which {settings.Warmup.TotalSeconds:0} s warmup");
        report.Parameter("memory sample interval", $"{settings.SampleInterval.TotalSeconds:0.#} s");
        report.Parameter("memory flat", $"median of the last tenth of post-warmup RSS samples ≤ {1 + SoakSettings.FlatTolerance:0.00} × median of the first tenth");
        report.Parameter("content size", settings.Size + " chars");

        var names = new RunNames();
        var senders = names.Users("s", settings.Pairs);
        var receivers = names.Users("r", settings.Pairs);
        var fanSender = names.User("f", 0);
        var churners = names.Users("c", ChurnUsers);
        string[] users = [.. senders, .. receivers, fanSender, .. churners];
        BenchLog.Info($"soak: {users.Length} tokens, {settings.Pairs} direct sessions, a group of {settings.GroupMembers}");
        var tokenList = await target.Rest.GetTokensAsync(users, SetupParallelism, cancellationToken);
        var tokens = users.Zip(tokenList).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);

        var ledger = new SoakLedger();
        var direct = new string[settings.Pairs];
        await Parallel.ForAsync(0, settings.Pairs, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            direct[i] = await target.Rest.CreateSessionAsync(tokens[senders[i]], SessionKinds.Direct, [receivers[i]], ct));
        var group = await target.Rest.CreateSessionAsync(tokens[fanSender], SessionKinds.Group, receivers[..groupReceivers], cancellationToken);
        for (var i = 0; i < settings.Pairs; i++)
        {
            ledger.AddSession(direct[i], [receivers[i]]);
        }

        ledger.AddSession(group, receivers[..groupReceivers]);

        var listeners = new RawConnection[settings.Pairs];
        var clients = new ResonanceClient[settings.Pairs + 1]; // the last one sends into the group
        try
        {
            BenchLog.Info($"soak: connecting {settings.Pairs} receivers and {settings.Pairs + 1} senders");
            await Parallel.ForAsync(0, settings.Pairs, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var receiver = receivers[i];
                listeners[i] = await RawConnection.ConnectAsync(target.SocketAddress, tokens[receiver], (packet, _) =>
                {
                    if (packet.BodyCase == WsPacket.BodyOneofCase.Push)
                    {
                        ledger.Pushed(receiver, packet.Push.SessionId, packet.Push.Seq);
                    }
                }, ct);
                listeners[i].StartHeartbeat(Heartbeat);
            });
            await Parallel.ForAsync(0, clients.Length, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var client = new ResonanceClient(target.SocketAddress, tokens[i < settings.Pairs ? senders[i] : fanSender]);
                clients[i] = client;
                await client.ConnectAsync(ct);
            });

            var traffic = new Traffic();
            var samples = new List<SoakSample>();
            using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = Stopwatch.GetTimestamp();
            var end = start + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
            BenchLog.Info($"soak: traffic for {settings.Duration.TotalSeconds:0} s");
            var sampling = SampleAsync(server, settings.SampleInterval, start, samples, ledger, traffic, stopSampling.Token);

            var chatInterval = Stopwatch.Frequency * settings.Pairs / settings.ChatRate;
            var work = new List<Task>();
            for (var i = 0; i < settings.Pairs; i++)
            {
                work.Add(SendOnScheduleAsync(clients[i], direct[i], false, chatInterval, (double)i / settings.Pairs, start, end, settings.Size, ledger, traffic, cancellationToken));
            }

            work.Add(SendOnScheduleAsync(clients[^1], group, true, Stopwatch.Frequency / settings.FanoutRate, 0.5, start, end, settings.Size, ledger, traffic, cancellationToken));
            if (settings.ChurnRate > 0)
            {
                work.Add(ChurnAsync(target.SocketAddress, churners.Select(c => tokens[c]).ToArray(), Stopwatch.Frequency / settings.ChurnRate, start, end, traffic, cancellationToken));
            }

            await Task.WhenAll(work);

            BenchLog.Info("soak: traffic done; waiting for the last pushes");
            var drained = Stopwatch.GetTimestamp();
            while (ledger.Received < ledger.Expected && Stopwatch.GetElapsedTime(drained) < DrainTimeout && !server.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }

            await stopSampling.CancelAsync();
            await sampling;
            if (server.HasExited)
            {
                report.Note("The server process exited during the run (its output is on standard error).");
            }

            var lost = ledger.Lost();
            outcome.Lost = lost;
            outcome.Duplicates = ledger.Duplicates;
            outcome.Completed = !server.HasExited;

            report.Metric("chat messages acked", traffic.ChatAcked, "msg");
            report.Metric("group messages acked", traffic.GroupAcked, "msg");
            report.Metric("sends failed", traffic.SendsFailed, "msg");
            report.Metric("pushes expected (acked × receivers)", ledger.Expected, "push");
            report.Metric("pushes received", ledger.Received, "push");
            report.Metric("lost (acked, never pushed)", lost, "push");
            report.Metric("duplicates", ledger.Duplicates, "push");
            report.Metric("pushes of sends whose ack was not seen", ledger.Unacked(), "push");
            report.Metric("churn connections welcomed", traffic.ChurnConnects, "conn");
            report.Metric("churn connections failed", traffic.ChurnFailures, "conn");
            report.Latency("send → ack (chat and group, whole run)", traffic.Ack);
            ReportMemory(settings, samples, report);
        }
        finally
        {
            BenchLog.Info("soak: closing connections");
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
            await Task.WhenAll(listeners.Where(l => l is not null).Select(l => l.DisposeAsync().AsTask()));
        }
    }

    private static void ReportMemory(SoakSettings settings, List<SoakSample> samples, ScenarioReport report)
    {
        var afterWarmup = samples.Where(s => s.AtSeconds >= settings.Warmup.TotalSeconds).ToArray();
        var trend = MemoryTrend.Of(afterWarmup);
        const double MiB = 1024 * 1024;
        report.Metric("memory samples", samples.Count, "samples");
        report.Metric("memory samples after warmup", trend.Samples, "samples");
        report.Metric("RSS first (median of first tenth after warmup)", Math.Round(trend.FirstResidentBytes / MiB, 1), "MiB");
        report.Metric("RSS last (median of last tenth)", Math.Round(trend.LastResidentBytes / MiB, 1), "MiB");
        report.Metric("RSS last ÷ first", Math.Round(trend.ResidentRatio, 3), "x");
        report.Metric("RSS max", Math.Round(samples.Count == 0 ? 0 : samples.Max(s => s.ResidentBytes) / MiB, 1), "MiB");
        report.Metric("managed heap first", Math.Round(trend.FirstManagedBytes / MiB, 1), "MiB");
        report.Metric("managed heap last", Math.Round(trend.LastManagedBytes / MiB, 1), "MiB");
        report.Metric("managed heap last ÷ first", Math.Round(trend.ManagedRatio, 3), "x");
        report.Metric("memory flat within 5 % (1 = pass, 0 = fail)", trend.Flat ? 1 : 0, "pass");
        report.Note(trend.Samples < 2
            ? "Too few samples after the warmup to judge memory: run longer or sample more often."
            : $"Memory {(trend.Flat ? "PASS" : "FAIL")}: RSS went from {trend.FirstResidentBytes / MiB:0.0} MiB to {trend.LastResidentBytes / MiB:0.0} MiB ({trend.ResidentRatio:0.000}×) after the warmup; the managed heap (live bytes after a forced full collection) {trend.ManagedRatio:0.000}×.");
        report.Note("RSS samples (s:MiB): " + string.Join(' ', samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.AtSeconds:0}:{s.ResidentBytes / MiB:0.0}"))));
        report.Note("Managed heap samples (s:MiB): " + string.Join(' ', samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.AtSeconds:0}:{s.ManagedBytes / MiB:0.0}"))));
    }

    private static async Task SampleAsync(
        ServerProcess server, TimeSpan interval, long start, List<SoakSample> samples, SoakLedger ledger, Traffic traffic, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var memory = await server.MeasureAsync(stop);
                if (memory.ResidentBytes == 0)
                {
                    return;
                }

                var resident = memory.ResidentBytes;
                var managed = memory.Managed.LiveBytes;
                var at = Stopwatch.GetElapsedTime(start).TotalSeconds;
                samples.Add(new SoakSample(at, resident, managed));
                BenchLog.Info(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {at,6:0} s  RSS {resident / 1048576.0,7:0.0} MiB  heap {managed / 1048576.0,7:0.0} MiB  acked {traffic.ChatAcked + traffic.GroupAcked}  pushed {ledger.Received}/{ledger.Expected}  churn {traffic.ChurnConnects}"));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over.
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // The server process is gone; its exit is reported by the caller.
        }
    }

    private static async Task SendOnScheduleAsync(
        ResonanceClient client, string sessionId, bool isGroup, double interval, double offset, long start, long end, int size, SoakLedger ledger, Traffic traffic, CancellationToken cancellationToken)
    {
        for (var n = 0; ; n++)
        {
            var scheduled = start + (long)(interval * (n + offset));
            if (scheduled >= end)
            {
                return;
            }

            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            try
            {
                var ack = await client.SendAsync(sessionId, MessageStamp.Create(scheduled, n, size), cancellationToken);
                traffic.Ack.Record(scheduled, Stopwatch.GetTimestamp());
                ledger.Acked(ack.SessionId, ack.Seq);
                if (isGroup)
                {
                    Interlocked.Increment(ref traffic.GroupAcked);
                }
                else
                {
                    Interlocked.Increment(ref traffic.ChatAcked);
                }
            }
            catch (ResonanceException)
            {
                Interlocked.Increment(ref traffic.SendsFailed);
            }
        }
    }

    private static async Task ChurnAsync(Uri socket, string[] tokens, double interval, long start, long end, Traffic traffic, CancellationToken cancellationToken)
    {
        for (var n = 0; ; n++)
        {
            var scheduled = start + (long)(interval * n);
            if (scheduled >= end)
            {
                return;
            }

            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            try
            {
                await using var connection = await RawConnection.ConnectAsync(socket, tokens[n % tokens.Length], null, cancellationToken);
                Interlocked.Increment(ref traffic.ChurnConnects);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                Interlocked.Increment(ref traffic.ChurnFailures);
            }
        }
    }

    private sealed class Traffic
    {
        public readonly LatencyRecorder Ack = new();
        public long ChatAcked;
        public long GroupAcked;
        public long SendsFailed;
        public long ChurnConnects;
        public long ChurnFailures;
    }
}
