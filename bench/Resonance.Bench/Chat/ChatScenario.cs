using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Bench.Scenarios;
using Resonance.Bench.Servers;

namespace Resonance.Bench.Chat;

/// <summary>
/// <c>chat</c>: P 1:1 conversations through the whole pipeline, open loop: R messages a second over all pairs on a
/// fixed schedule, each timed from its scheduled send to its ack (at the sender) and to its delivery (at the other
/// member); what was not acked or not delivered after a drain is lost. Resonance stores every message; the SignalR
/// relay, for reference, stores nothing.
/// </summary>
internal static class ChatScenario
{
    private const int ConnectParallelism = 64;

    private static readonly SideBySideColumn[] Columns =
    [
        new("durable", "durable"),
        new("offered msg/s", "offeredPerSecond"),
        new("delivered msg/s", "deliveredPerSecond"),
        new("sent", "sent"),
        new("acked", "acked"),
        new("delivered", "delivered"),
        new("lost", "lost"),
        new("unacked", "unacked"),
        new("dup", "duplicates"),
        new("ack p50", "ackMs.p50"),
        new("ack p99", "ackMs.p99"),
        new("delivery p50", "deliveryMs.p50"),
        new("delivery p99", "deliveryMs.p99"),
        new("delivery max", "deliveryMs.max"),
        new("×signalr delivery p99", "vsSignalr.deliveryMs/p99"),
    ];

    public static async Task<int> RunAsync(ChatSettings settings, string? jsonPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var report = new SideBySideReport("chat");
        report.Parameter("pairs", $"{settings.Pairs} (2 connections each)");
        report.Parameter("rate", $"{settings.Rate} msg/s over all pairs, fixed schedule; message k: pair k mod P, direction alternating");
        report.Parameter("per run", $"{settings.Duration.TotalSeconds:0} s measured after {settings.Warmup} warmup messages (delivered before the measured ones start); {settings.Size}-char content; up to {ChatSettings.Drain.TotalSeconds:0} s drain");
        report.Parameter("latency", "ms from the scheduled send (no coordinated omission): send → ack at the sender, send → delivery at the other member");
        report.Parameter("servers", "each in a process of its own (this tool's hidden `serve` command); clients in this process");
        report.Parameter("raw", "not run: the raw baseline broadcasts to everyone and has no 1:1 routing");

        var exitCode = 0;
        foreach (var name in settings.Systems)
        {
            var figures = report.System(name);
            try
            {
                await using var server = await ServerProcess.StartAsync(name, settings.Synchronous, limit.Token);
                IChatSystem system = name == FanoutComparison.Resonance ? new ResonanceChat(server.BaseAddress, settings.Synchronous) : new SignalRChat(server.BaseAddress);
                await RunSystemAsync(system, settings, figures, limit.Token);
                if ((long?)figures["lost"] != 0)
                {
                    exitCode = Math.Max(exitCode, 1);
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                figures["failure"] = cancellationToken.IsCancellationRequested ? "interrupted" : $"stopped by the {timeout.TotalSeconds:0} s time limit";
                report.Notes.Add($"{name}: {figures["failure"]}; the figures are partial.");
                exitCode = 2;
                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or WebSocketException or TimeoutException)
            {
                figures["failure"] = $"{ex.GetType().Name}: {ex.Message}";
                report.Notes.Add($"{name}: {figures["failure"]}");
                exitCode = 1;
            }
        }

        if (settings.Systems.Contains(FanoutComparison.SignalR))
        {
            report.AddRatiosToBaseline(["deliveryMs.p50", "deliveryMs.p99", "ackMs.p99", "deliveredPerSecond"], FanoutComparison.SignalR);
        }

        report.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
        SideBySidePrinter.Print(report, "chat: 1:1 conversations, open loop", Columns);
        var path = await SideBySideJsonWriter.WriteAsync(report, jsonPath, CancellationToken.None);
        BenchLog.Info($"wrote {path}");
        return exitCode;
    }

    private static async Task RunSystemAsync(IChatSystem system, ChatSettings settings, JsonObject figures, CancellationToken cancellationToken)
    {
        figures["description"] = system.Description;
        figures["durable"] = system.Durable;
        BenchLog.Info($"{system.Name}: preparing {settings.Pairs} pairs");
        await system.PrepareAsync(settings.Pairs, cancellationToken);
        var warmup = settings.Warmup;
        var total = warmup + settings.Measured;
        var ledger = new ChatLedger(total, warmup);
        var members = new IChatMember?[2 * settings.Pairs];
        try
        {
            await Parallel.ForAsync(0, members.Length, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken },
                async (m, ct) => members[m] = await system.ConnectAsync(m / 2, m % 2, ledger, ct));

            var interval = Stopwatch.Frequency / settings.Rate;
            var lateness = new LatencyRecorder();
            var pending = new List<Task>(total);
            BenchLog.Info($"{system.Name}: {warmup} warmup messages");
            Send(0, warmup, Stopwatch.GetTimestamp(), null);
            await Task.WhenAll(pending);
            await ledger.WarmupDone.WaitAsync(ChatSettings.Drain, cancellationToken);

            var windowStart = Stopwatch.GetTimestamp();
            await ProgressDisplay.RunAsync($"{system.Name}: sending", settings.Measured, async report =>
            {
                for (var i = warmup; i < total; i++)
                {
                    await WaitUntilAsync(windowStart + (long)((i - warmup) * interval), cancellationToken);
                    Send(i, i + 1, windowStart + (long)((i - warmup) * interval), lateness);
                    if ((i & 63) == 0)
                    {
                        report(i - warmup);
                    }
                }

                report(settings.Measured);
                return 0;
            });
            var sendingEnded = Stopwatch.GetTimestamp();
            await Task.WhenAll(pending);
            try
            {
                await ledger.AllDone.WaitAsync(ChatSettings.Drain, cancellationToken);
            }
            catch (TimeoutException)
            {
                // What has not come by now is counted as lost or unacked.
            }

            var window = Math.Max(settings.Duration.TotalSeconds, Stopwatch.GetElapsedTime(windowStart, sendingEnded).TotalSeconds);
            var delivered = ledger.Delivered(warmup, total);
            var acked = ledger.Acked(warmup, total);
            figures["pairs"] = settings.Pairs;
            figures["offeredPerSecond"] = settings.Rate;
            figures["sent"] = settings.Measured;
            figures["acked"] = acked;
            figures["delivered"] = delivered;
            figures["lost"] = (long)(settings.Measured - delivered);
            figures["unacked"] = settings.Measured - acked;
            figures["duplicates"] = ledger.Duplicates;
            figures["strays"] = ledger.Strays;
            figures["refused"] = members.Sum(m => m?.Refused ?? 0);
            figures["deliveredPerSecond"] = Math.Round(delivered / window, 1);
            figures["ackMs"] = LatencyJson.Of(ledger.Ack.Summarize("scheduled send → ack"));
            figures["deliveryMs"] = LatencyJson.Of(ledger.Delivery.Summarize("scheduled send → delivery"));
            figures["sendLatenessMs"] = LatencyJson.Of(lateness.Summarize("scheduled send → send issued (bench)"));
            BenchLog.Info($"{system.Name}: {delivered:N0} of {settings.Measured:N0} delivered, {acked:N0} acked, delivery p99 {ledger.Delivery.Summarize("d").P99Ms} ms");

            void Send(int from, int to, long due, LatencyRecorder? late)
            {
                for (var i = from; i < to; i++)
                {
                    var pair = i % settings.Pairs;
                    var side = (i / settings.Pairs) % 2;
                    ledger.Schedule(i, due);
                    late?.Record(due, Stopwatch.GetTimestamp());
                    pending.Add(members[(2 * pair) + side]!.SendAsync(i, MessageStamp.Create(due, i, settings.Size), cancellationToken));
                }
            }
        }
        finally
        {
            await Parallel.ForEachAsync(members.Where(m => m is not null), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism },
                async (m, _) => await m!.DisposeAsync());
        }
    }

    /// <summary>Never early, often a little late (timers round to whole milliseconds); the lateness is reported.</summary>
    private static async Task WaitUntilAsync(long due, CancellationToken cancellationToken)
    {
        for (var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due); wait > TimeSpan.Zero;
             wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
        }
    }
}
