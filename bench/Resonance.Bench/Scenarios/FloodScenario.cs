using System.Diagnostics;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Client;
using Resonance.Contracts;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// What one flooding client costs everyone else: P well-behaved senders each send R msg/s into their own
/// direct session; their send → ack latency is measured for D seconds alone, then D seconds while one more
/// client floods its own session with as many sends as it can keep in flight. Same server, one phase after
/// the other; the answer is the ratio of the two p99s (the gateway's send limits are what should keep it low).
/// </summary>
internal static class FloodScenario
{
    private const int SetupParallelism = 16;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(FloodSettings settings, BenchTarget target, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Parameter("well-behaved senders", $"{settings.Pairs} direct sessions, {settings.Rate:0.##} msg/s each on a fixed schedule");
        report.Parameter("phases", $"{Warmup.TotalSeconds:0} s warmup (not measured), {settings.Duration.TotalSeconds:0.#} s alone, then {settings.Duration.TotalSeconds:0.#} s beside the flood");
        report.Parameter("flood", $"one client, its own session, {settings.FloodSends} sends in flight at all times");
        report.Parameter("abuse limits", target.InProcess ? (settings.Limits ? "on (the gateway's defaults)" : "off") : "as the server at --url has them");

        var names = new RunNames();
        var users = names.Users("s", settings.Pairs).Concat(names.Users("r", settings.Pairs)).Append(names.User("flood", 0)).Append(names.User("sink", 0)).ToArray();
        var tokens = await target.Rest.GetTokensAsync(users, SetupParallelism, cancellationToken);
        var sessions = new string[settings.Pairs + 1];
        await Parallel.ForAsync(0, settings.Pairs + 1, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (sender, receiver) = i < settings.Pairs ? (i, settings.Pairs + i) : (users.Length - 2, users.Length - 1);
            sessions[i] = await target.Rest.CreateSessionAsync(tokens[sender], SessionKinds.Direct, [users[receiver]], ct);
        });

        var senders = new ResonanceClient[settings.Pairs + 1]; // the last one floods
        try
        {
            await Parallel.ForAsync(0, senders.Length, new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var client = new ResonanceClient(target.SocketAddress, tokens[i < settings.Pairs ? i : users.Length - 2]);
                senders[i] = client;
                await client.ConnectAsync(ct);
            });

            // Not measured: the first seconds of a fresh server (JIT, first commits) would weigh on "alone" only.
            BenchLog.Info($"flood: {settings.Pairs} senders warming up for {Warmup.TotalSeconds:0} s");
            await MeasureAsync(senders[..settings.Pairs], sessions, settings with { Duration = Warmup }, cancellationToken);

            BenchLog.Info($"flood: {settings.Pairs} senders alone for {settings.Duration.TotalSeconds:0} s");
            var alone = await MeasureAsync(senders[..settings.Pairs], sessions, settings, cancellationToken);

            BenchLog.Info($"flood: {settings.Pairs} senders beside the flood for {settings.Duration.TotalSeconds:0} s");
            using var stopFlood = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var flood = new FloodCounts();
            var flooders = Enumerable.Range(0, settings.FloodSends).Select(k => FloodAsync(senders[^1], sessions[^1], k, settings.Size, flood, stopFlood.Token)).ToArray();
            var beside = await MeasureAsync(senders[..settings.Pairs], sessions, settings, cancellationToken);
            await stopFlood.CancelAsync();
            await Task.WhenAll(flooders);

            report.Latency("send → ack, alone", alone.Ack);
            report.Latency("send → ack, beside the flood", beside.Ack);
            var p99Alone = alone.Ack.Summarize("alone").P99Ms;
            var p99Beside = beside.Ack.Summarize("beside").P99Ms;
            report.Metric("p99 beside the flood ÷ p99 alone", p99Alone > 0 ? Math.Round(p99Beside / p99Alone, 2) : 0, "x");
            report.Metric("well-behaved sends refused, alone", alone.Refused, "msg");
            report.Metric("well-behaved sends refused, beside the flood", beside.Refused, "msg");
            report.Metric("flood sends stored", flood.Stored, "msg");
            report.Metric("flood sends refused rate_limited", flood.Limited, "msg");
            report.Metric("flood stored per second", Math.Round(flood.Stored / settings.Duration.TotalSeconds, 1), "msg/s");
            report.Note("Latency is timed from each send's scheduled time, so a stalled sender counts (no coordinated omission). Both phases share one server and one machine: the ratio, not the milliseconds, is the figure.");
        }
        finally
        {
            await Task.WhenAll(senders.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Every well-behaved sender on its own schedule for the phase; a send waits for its ack before the next is due.</summary>
    private static async Task<Phase> MeasureAsync(ResonanceClient[] senders, string[] sessions, FloodSettings settings, CancellationToken cancellationToken)
    {
        var phase = new Phase();
        var interval = Stopwatch.Frequency / settings.Rate;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(senders.Select((client, i) => Task.Run(async () =>
        {
            // Spread the senders over one interval, so that they do not all send at once.
            for (var n = 0; ; n++)
            {
                var scheduled = start + (long)(interval * (n + ((double)i / senders.Length)));
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
                    await client.SendAsync(sessions[i], MessageStamp.Create(scheduled, n, settings.Size), cancellationToken);
                    phase.Ack.Record(scheduled, Stopwatch.GetTimestamp());
                }
                catch (ResonanceException)
                {
                    Interlocked.Increment(ref phase.Refused);
                }
            }
        }, cancellationToken)));
        return phase;
    }

    private static async Task FloodAsync(ResonanceClient client, string session, int lane, int size, FloodCounts counts, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                await client.SendAsync(session, MessageStamp.Create(Stopwatch.GetTimestamp(), (n * 1000) + lane, size), stop);
                Interlocked.Increment(ref counts.Stored);
            }
            catch (ResonanceException ex) when (ex.Code == ErrorCodes.RateLimited)
            {
                Interlocked.Increment(ref counts.Limited);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private sealed class Phase
    {
        public readonly LatencyRecorder Ack = new();
        public long Refused;
    }

    private sealed class FloodCounts
    {
        public long Stored;
        public long Limited;
    }
}
