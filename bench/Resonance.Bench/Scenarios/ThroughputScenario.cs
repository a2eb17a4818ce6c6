using System.Diagnostics;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Client;
using Resonance.Contracts;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// S direct sessions, each with a sending and a receiving ResonanceClient; K senders each keep one
/// send outstanding (send, await ack, repeat) for a fixed time. Counts acks and pushes whose send
/// started inside the measured window.
/// </summary>
internal static class ThroughputScenario
{
    private const int SetupParallelism = 16;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(ThroughputSettings settings, BenchTarget target, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Parameter("sessions", $"{settings.Sessions} direct × 2 members ({settings.Sessions * 2} connections)");
        report.Parameter("concurrent senders", settings.Senders);
        report.Parameter("measured window", $"{settings.Duration.TotalSeconds:0.#} s after {settings.Warmup.TotalSeconds:0.#} s warmup");
        report.Parameter("content size", settings.Size + " chars");
        report.Parameter("client", "ResonanceClient, binary protobuf");

        var names = new RunNames();
        var senders = names.Users("a", settings.Sessions);
        var receivers = names.Users("b", settings.Sessions);
        BenchLog.Info($"throughput: tokens and {settings.Sessions} sessions");
        var tokens = await target.Rest.GetTokensAsync([.. senders, .. receivers], SetupParallelism, cancellationToken);
        var sessions = new string[settings.Sessions];
        await Parallel.ForAsync(0, settings.Sessions, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
            async (i, ct) => sessions[i] = await target.Rest.CreateSessionAsync(tokens[i], SessionKinds.Direct, [receivers[i]], ct));

        var ack = new LatencyRecorder();
        var push = new LatencyRecorder();
        long windowStart = long.MaxValue, windowEnd = long.MaxValue;
        long acked = 0, delivered = 0, failed = 0;
        bool InWindow(long sentAt) => sentAt >= Volatile.Read(ref windowStart) && sentAt < Volatile.Read(ref windowEnd);

        var clients = new ResonanceClient[settings.Sessions * 2];
        var subscriptions = new List<IDisposable>();
        try
        {
            BenchLog.Info($"throughput: connecting {clients.Length} clients");
            await Parallel.ForAsync(0, clients.Length, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var client = new ResonanceClient(target.SocketAddress, tokens[i]);
                    clients[i] = client;
                    await client.ConnectAsync(ct);
                    client.Track(sessions[i % settings.Sessions], 0);
                });

            for (var i = 0; i < settings.Sessions; i++)
            {
                subscriptions.Add(clients[settings.Sessions + i].Subscribe(sessions[i], p =>
                {
                    var at = Stopwatch.GetTimestamp();
                    if (MessageStamp.TryParse(p.Content, out var sentAt, out _) && InWindow(sentAt))
                    {
                        push.Record(sentAt, at);
                        Interlocked.Increment(ref delivered);
                    }
                }));
            }

            var start = Stopwatch.GetTimestamp();
            Volatile.Write(ref windowStart, start + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency));
            Volatile.Write(ref windowEnd, windowStart + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency));
            BenchLog.Info($"throughput: {settings.Senders} senders for {settings.Warmup.TotalSeconds + settings.Duration.TotalSeconds:0.#} s");

            var loops = Enumerable.Range(0, settings.Senders).Select(k => Task.Run(async () =>
            {
                for (var n = 0; ; n++)
                {
                    var session = (k + (n * settings.Senders)) % settings.Sessions;
                    var sentAt = Stopwatch.GetTimestamp();
                    if (sentAt >= windowEnd || cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }

                    try
                    {
                        await clients[session].SendAsync(sessions[session], MessageStamp.Create(sentAt, n, settings.Size), cancellationToken);
                    }
                    catch (ResonanceException)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }

                    if (InWindow(sentAt))
                    {
                        ack.Record(sentAt, Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref acked);
                    }
                }
            }, cancellationToken)).ToArray();
            await Task.WhenAll(loops);
            var sendingEnded = Stopwatch.GetTimestamp();

            // Pushes of the last sends are still on their way.
            while (Interlocked.Read(ref delivered) < Interlocked.Read(ref acked) && Stopwatch.GetElapsedTime(sendingEnded) < DrainTimeout)
            {
                await Task.Delay(10, cancellationToken);
            }

            var drain = Stopwatch.GetElapsedTime(sendingEnded);
            var seconds = settings.Duration.TotalSeconds;
            report.Metric("acked (sends started in window)", acked, "msg");
            report.Metric("acked throughput", Math.Round(acked / seconds, 1), "msg/s");
            report.Metric("delivered pushes (to receivers)", delivered, "push");
            report.Metric("delivered push throughput", Math.Round(delivered / seconds, 1), "push/s");
            report.Metric("sends rejected", failed, "msg");
            report.Metric("acked but not delivered after drain", Math.Max(0, acked - delivered), "msg");
            report.Metric("drain after sending stopped", Math.Round(drain.TotalMilliseconds, 1), "ms");
            report.Latency("send → ack (sender)", ack);
            report.Latency("send → push (receiver)", push);
            report.Note("Each message is also pushed back to its sender's own connection; those pushes are not counted.");
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                subscription.Dispose();
            }

            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        }
    }
}
