using System.Diagnostics;
using System.Net.WebSockets;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Bench.Scenarios;

namespace Resonance.Bench.Comparison;

/// <summary>
/// The open-loop fan-out harness, the same for every system: connect the recipients and the sender, send
/// on a fixed schedule whatever happens to earlier messages, and count and time every delivery from the
/// moment its message was scheduled, so a stall anywhere shows in the latency (no coordinated omission).
/// </summary>
internal static class OpenLoopFanout
{
    private const int ConnectParallelism = 64;

    public static async Task<FanoutRun> RunAsync(IFanoutSystem system, OpenLoopSettings settings, double rate, CancellationToken cancellationToken)
    {
        var recipients = settings.Recipients;
        var warmup = settings.WarmupAt(rate);
        var measured = (int)Math.Round(rate * settings.Duration.TotalSeconds);
        var total = warmup + measured;
        var ledger = new DeliveryLedger(recipients, total, warmup);
        var lateness = new LatencyRecorder();
        string? warmupNote = null;

        BenchLog.Info($"{system.Name} at {rate:0.##} msg/s: preparing a group of {settings.Members}");
        await system.PrepareAsync(recipients, cancellationToken);
        var connections = new IAsyncDisposable?[recipients];
        try
        {
            var connectStarted = Stopwatch.GetTimestamp();
            await Parallel.ForAsync(0, recipients, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (i, ct) => connections[i] = await system.ConnectRecipientAsync(i, (payload, at) => ledger.Record(i, payload, at), ct));
            await using var sender = await system.ConnectSenderAsync(cancellationToken);
            var connectTime = Stopwatch.GetElapsedTime(connectStarted);

            BenchLog.Info($"{system.Name} at {rate:0.##} msg/s: {warmup} warmup + {measured} messages to {recipients} recipients");

            // Warmup on the same schedule, then a pause until it is all delivered, so that a fresh server's start-up
            // (JIT, first writes) does not leave a backlog that the measured messages would inherit.
            var interval = Stopwatch.Frequency / rate;
            var (sent, failure) = await SendOnScheduleAsync(sender, Stopwatch.GetTimestamp(), interval, 0, warmup, settings.Size, null, cancellationToken);
            try
            {
                await ledger.WarmupReceived.Task.WaitAsync(OpenLoopSettings.Drain, cancellationToken);
            }
            catch (TimeoutException)
            {
                warmupNote = $"warmup not all delivered within {OpenLoopSettings.Drain.TotalSeconds:0} s";
            }

            var windowStart = Stopwatch.GetTimestamp();
            if (failure is null)
            {
                (sent, failure) = await SendOnScheduleAsync(sender, windowStart, interval, warmup, total, settings.Size, lateness, cancellationToken);
            }

            var measuredSent = Math.Max(0, sent - warmup);

            try
            {
                await ledger.AllReceived.Task.WaitAsync(OpenLoopSettings.Drain, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Whatever has not arrived by now is counted as lost.
            }

            var received = ledger.Received;
            var window = settings.Duration.TotalSeconds;
            if (ledger.LastReceivedAt != 0)
            {
                window = Math.Max(window, Stopwatch.GetElapsedTime(windowStart, ledger.LastReceivedAt).TotalSeconds);
            }

            return new FanoutRun(
                system.Name,
                rate,
                recipients,
                warmup,
                measuredSent,
                (long)measuredSent * recipients,
                received,
                ledger.Duplicates,
                ledger.Strays,
                sender.Refused,
                Math.Round(rate * recipients, 1),
                Math.Round(received / window, 1),
                ledger.Latency.Summarize("scheduled send → delivery"),
                lateness.Summarize("scheduled send → send issued (bench)"),
                Math.Round(connectTime.TotalSeconds, 3),
                failure ?? warmupNote);
        }
        finally
        {
            BenchLog.Info($"{system.Name}: closing connections");
            await Parallel.ForEachAsync(connections.Where(c => c is not null), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism },
                async (connection, _) => await connection!.DisposeAsync());
        }
    }

    /// <summary>Sends messages <paramref name="from"/> to <paramref name="to"/> − 1, each due <paramref name="interval"/> ticks after the one before.</summary>
    private static async Task<(int Sent, string? Failure)> SendOnScheduleAsync(
        IFanoutSender sender, long start, double interval, int from, int to, int size, LatencyRecorder? lateness, CancellationToken cancellationToken)
    {
        for (var i = from; i < to; i++)
        {
            var due = start + (long)((i - from) * interval);

            // Never early, often a little late (timers round to whole milliseconds): the lateness is
            // reported, and spinning instead would take a core from the servers on a small machine.
            for (var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due); wait > TimeSpan.Zero;
                 wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
            }

            lateness?.Record(due, Stopwatch.GetTimestamp());
            try
            {
                // Stamped with the scheduled moment, so a stall on our side or the server's is not hidden.
                await sender.SendAsync(MessageStamp.Create(due, i, size), cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                return (i, $"the sender's socket failed after {i} messages: {ex.Message}");
            }
        }

        return (to, null);
    }
}
