using System.Diagnostics;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Client;
using Resonance.Contracts;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// One sender and one receiver (ResonanceClient, binary protobuf) in a direct session. Measures
/// send → ack at the sender and send → push handed to the receiver's subscriber.
/// </summary>
internal static class LatencyScenario
{
    private static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(LatencySettings settings, BenchTarget target, ScenarioReport report, CancellationToken cancellationToken)
    {
        report.Parameter("messages", settings.Messages);
        report.Parameter("warmup messages", settings.Warmup);
        report.Parameter("mode", settings.Rate > 0 ? $"fixed rate {settings.Rate} msg/s (open loop, timed from the scheduled send)" : "one at a time (next send after ack and push)");
        report.Parameter("content size", settings.Size + " chars");
        report.Parameter("client", "ResonanceClient, binary protobuf");

        var names = new RunNames();
        var (sender, receiver) = (names.User("sender", 0), names.User("receiver", 0));
        var tokens = await target.Rest.GetTokensAsync([sender, receiver], 2, cancellationToken);
        var sessionId = await target.Rest.CreateSessionAsync(tokens[0], SessionKinds.Direct, [receiver], cancellationToken);

        var total = settings.Warmup + settings.Messages;
        var pushed = new TaskCompletionSource[total];
        for (var i = 0; i < total; i++)
        {
            pushed[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        var ack = new LatencyRecorder();
        var push = new LatencyRecorder();
        var lateness = new LatencyRecorder();

        await using var senderClient = new ResonanceClient(target.SocketAddress, tokens[0]);
        await using var receiverClient = new ResonanceClient(target.SocketAddress, tokens[1]);
        await senderClient.ConnectAsync(cancellationToken);
        await receiverClient.ConnectAsync(cancellationToken);
        senderClient.Track(sessionId, 0);
        receiverClient.Track(sessionId, 0);
        using var subscription = receiverClient.Subscribe(sessionId, p =>
        {
            var at = Stopwatch.GetTimestamp();
            if (!MessageStamp.TryParse(p.Content, out var sentAt, out var index) || index >= total)
            {
                return;
            }

            if (index >= settings.Warmup)
            {
                push.Record(sentAt, at);
            }

            pushed[index].TrySetResult();
        });

        BenchLog.Info($"latency: {settings.Warmup} warmup + {settings.Messages} messages in session {sessionId}");
        var started = Stopwatch.GetTimestamp();
        var failures = 0;
        if (settings.Rate > 0)
        {
            failures = await RunAtRateAsync(settings, senderClient, sessionId, ack, lateness, cancellationToken);
        }
        else
        {
            for (var i = 0; i < total; i++)
            {
                var sentAt = Stopwatch.GetTimestamp();
                try
                {
                    await senderClient.SendAsync(sessionId, MessageStamp.Create(sentAt, i, settings.Size), cancellationToken);
                }
                catch (ResonanceException)
                {
                    failures++;
                    continue;
                }

                if (i >= settings.Warmup)
                {
                    ack.Record(sentAt, Stopwatch.GetTimestamp());
                }

                await WaitForPushAsync(pushed[i].Task, cancellationToken);
            }
        }

        await WaitForPushAsync(Task.WhenAll(pushed.Select(p => p.Task)), cancellationToken);
        var missing = pushed.Count(p => !p.Task.IsCompleted);

        var elapsed = Stopwatch.GetElapsedTime(started);
        report.Metric("messages acked (measured)", ack.Count, "msg");
        report.Metric("pushes received (measured)", push.Count, "msg");
        report.Metric("sends failed", failures, "msg");
        report.Metric("pushes missing after 10 s", missing, "msg");
        report.Metric("wall time incl. warmup", Math.Round(elapsed.TotalSeconds, 2), "s");
        report.Metric("achieved rate incl. warmup", Math.Round(total / elapsed.TotalSeconds, 1), "msg/s");
        report.Latency("send → ack (sender)", ack);
        report.Latency("send → push (receiver)", push);
        if (lateness.Count > 0)
        {
            report.Latency("scheduled → send issued (bench side)", lateness);
        }
    }

    private static async Task<int> RunAtRateAsync(
        LatencySettings settings, ResonanceClient client, string sessionId, LatencyRecorder ack, LatencyRecorder lateness, CancellationToken cancellationToken)
    {
        var total = settings.Warmup + settings.Messages;
        var interval = Stopwatch.Frequency / settings.Rate;
        var start = Stopwatch.GetTimestamp();
        var sends = new Task[total];
        var failures = 0;
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * interval);
            // Never early, often a little late (timers round to whole milliseconds): the lateness is
            // reported, and spinning instead would take a core from the server on a small machine.
            for (var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due); wait > TimeSpan.Zero;
                 wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
            }

            if (i >= settings.Warmup)
            {
                lateness.Record(due, Stopwatch.GetTimestamp());
            }

            // Timed from the scheduled moment, so a stall on our side or the server's is not hidden (coordinated omission).
            var index = i;
            sends[i] = client.SendAsync(sessionId, MessageStamp.Create(due, i, settings.Size), cancellationToken).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    if (index >= settings.Warmup)
                    {
                        ack.Record(due, Stopwatch.GetTimestamp());
                    }
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return failures;
    }

    private static async Task<bool> WaitForPushAsync(Task pushed, CancellationToken cancellationToken)
    {
        try
        {
            await pushed.WaitAsync(PushTimeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
