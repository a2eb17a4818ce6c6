using System.Diagnostics;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Client;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// One group of N members, C of them online: the sender on a ResonanceClient, the other C − 1 on
/// bare sockets that timestamp each push as its frame completes. Messages go one at a time; each
/// is timed to every recipient and to the last one.
/// </summary>
internal static class FanoutScenario
{
    private const int SetupParallelism = 16;
    private const int ConnectParallelism = 64;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(FanoutSettings settings, BenchTarget target, ScenarioReport report, CancellationToken cancellationToken)
    {
        var budget = ConnectionBudget.Max(target.InProcess);
        var connected = Math.Min(Math.Min(settings.Connected, settings.Members), budget);
        if (connected < settings.Connected)
        {
            report.Note($"Connected members capped at {connected} (asked {settings.Connected}; group size {settings.Members}; connection budget {budget}).");
        }

        if (connected < 2)
        {
            throw new ArgumentException("fanout needs at least two connected members.");
        }

        var recipients = connected - 1;
        report.Parameter("group members", settings.Members);
        report.Parameter("connected members", $"{connected} (sender + {recipients} recipients, one connection each)");
        report.Parameter("messages", settings.Messages);
        report.Parameter("warmup messages", settings.Warmup);
        report.Parameter("content size", settings.Size + " chars");
        report.Parameter("clients", "sender: ResonanceClient; recipients: bare ClientWebSocket, binary protobuf");

        var names = new RunNames();
        var members = names.Users("m", settings.Members);
        BenchLog.Info($"fanout: {connected} tokens, group of {settings.Members}");
        var tokens = await target.Rest.GetTokensAsync(members[..connected], SetupParallelism, cancellationToken);
        var sessionId = await target.Rest.CreateSessionAsync(tokens[0], SessionKinds.Group, members[1..], cancellationToken);

        var total = settings.Warmup + settings.Messages;
        var messages = Enumerable.Range(0, total).Select(_ => new FanoutMessage(recipients)).ToArray();
        var all = new LatencyRecorder();
        var last = new LatencyRecorder();
        var ack = new LatencyRecorder();
        long strays = 0;

        void OnPacket(WsPacket packet, long at)
        {
            if (packet.BodyCase != WsPacket.BodyOneofCase.Push || packet.Push.SessionId != sessionId)
            {
                return;
            }

            if (!MessageStamp.TryParse(packet.Push.Content, out _, out var index) || index >= total)
            {
                Interlocked.Increment(ref strays);
                return;
            }

            var message = messages[index];
            if (index >= settings.Warmup)
            {
                all.Record(message.SentAt, at);
            }

            message.Received(at);
        }

        var listeners = new RawConnection[recipients];
        try
        {
            BenchLog.Info($"fanout: connecting {recipients} recipients");
            var connectStarted = Stopwatch.GetTimestamp();
            await Parallel.ForAsync(0, recipients, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    listeners[i] = await RawConnection.ConnectAsync(target.SocketAddress, tokens[i + 1], OnPacket, ct);
                    listeners[i].StartHeartbeat(Heartbeat);
                });
            var connectTime = Stopwatch.GetElapsedTime(connectStarted);

            await using var sender = new ResonanceClient(target.SocketAddress, tokens[0]);
            await sender.ConnectAsync(cancellationToken);
            sender.Track(sessionId, 0);

            BenchLog.Info($"fanout: {settings.Warmup} warmup + {settings.Messages} messages to {recipients} recipients");
            var incomplete = 0;
            var started = Stopwatch.GetTimestamp();
            var measuredStarted = started;
            for (var i = 0; i < total; i++)
            {
                if (i == settings.Warmup)
                {
                    measuredStarted = Stopwatch.GetTimestamp();
                }

                var message = messages[i];
                var sentAt = Stopwatch.GetTimestamp();
                message.SentAt = sentAt;
                await sender.SendAsync(sessionId, MessageStamp.Create(sentAt, i, settings.Size), cancellationToken);
                if (i >= settings.Warmup)
                {
                    ack.Record(sentAt, Stopwatch.GetTimestamp());
                }

                try
                {
                    await message.Done.Task.WaitAsync(settings.MessageTimeout, cancellationToken);
                }
                catch (TimeoutException)
                {
                    incomplete++;
                }

                if (i >= settings.Warmup && message.LastReceivedAt != 0)
                {
                    last.Record(sentAt, message.LastReceivedAt);
                }
            }

            var measured = Stopwatch.GetElapsedTime(measuredStarted);
            var missing = messages.Skip(settings.Warmup).Sum(m => (long)m.Remaining);
            report.Metric("recipients per message", recipients, "members");
            report.Metric("pushes received (measured)", all.Count, "push");
            report.Metric("pushes missing (measured)", missing, "push");
            report.Metric("messages not complete within timeout", incomplete, "msg");
            report.Metric("push rate while sending (measured)", Math.Round(all.Count / measured.TotalSeconds, 1), "push/s");
            report.Metric("setup: recipients connected in", Math.Round(connectTime.TotalMilliseconds, 1), "ms");
            if (strays > 0)
            {
                report.Metric("pushes not from this run", strays, "push");
            }

            report.Latency("send → ack (sender)", ack);
            report.Latency("send → last recipient", last);
            report.Latency("send → each recipient", all);
        }
        finally
        {
            BenchLog.Info("fanout: closing connections");
            await Parallel.ForEachAsync(listeners.Where(l => l is not null), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism },
                async (listener, _) => await listener.DisposeAsync());
        }
    }
}
