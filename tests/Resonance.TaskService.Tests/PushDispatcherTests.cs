using Resonance.Testing;

namespace Resonance.TaskService.Tests;

public sealed class PushDispatcherTests
{
    [Fact]
    public async Task The_configured_number_of_workers_push_in_parallel_and_no_more()
    {
        await using var harness = new TaskHarness(new TaskOptions { WorkerCount = 4 });
        var release = new TaskCompletionSource();
        var inFlight = 0;
        var maxInFlight = 0;
        harness.Gateways.BeforeReply = async _ =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await release.Task;
            Interlocked.Decrement(ref inFlight);
        };
        for (var s = 0; s < 64; s++)
        {
            harness.Members.Set($"s{s}", 1, "alice");
        }

        harness.Routes.Set("alice", "gw-1");
        await harness.Dispatcher.StartAsync(CancellationToken.None);

        for (var s = 0; s < 64; s++)
        {
            await harness.Dispatcher.EnqueueAsync(TaskHarness.Event($"s{s}", 1), CancellationToken.None);
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref inFlight) == 4, "all four workers are busy");
        Assert.Equal(4, harness.Stats.BusyWorkers);
        release.SetResult();
        await Eventually.TrueAsync(() => harness.Stats.EventsProcessed == 64, "every event is processed");

        Assert.Equal(4, maxInFlight);
        Assert.Equal(4, harness.Dispatcher.WorkerCount);
    }

    [Fact]
    public async Task Each_sessions_messages_are_pushed_in_seq_order()
    {
        await using var harness = new TaskHarness(new TaskOptions { WorkerCount = 8 });
        var sessions = Enumerable.Range(0, 10).Select(i => $"s{i}").ToList();
        foreach (var session in sessions)
        {
            harness.Members.Set(session, 1, "alice");
        }

        harness.Routes.Set("alice", "gw-1");
        await harness.Dispatcher.StartAsync(CancellationToken.None);

        for (var seq = 1; seq <= 50; seq++)
        {
            foreach (var session in sessions)
            {
                await harness.Dispatcher.EnqueueAsync(TaskHarness.Event(session, seq), CancellationToken.None);
            }
        }

        await Eventually.TrueAsync(() => harness.Stats.EventsProcessed == 500, "every event is processed");
        var bySession = harness.Gateways.Calls.SelectMany(c => c.Batch.All()).GroupBy(m => m.SessionId);
        Assert.Equal(10, bySession.Count());
        Assert.All(bySession, g => Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), g.Select(m => m.Seq)));
    }

    [Fact]
    public async Task Events_of_one_session_queued_behind_each_other_go_to_each_gateway_as_one_run()
    {
        await using var harness = new TaskHarness(new TaskOptions { WorkerCount = 1, MaxMessagesPerPush = 3 });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Gateways.BeforeReply = _ =>
        {
            entered.TrySetResult();
            return release.Task;
        };
        harness.Members.Set("s1", 2, "alice", "bob");
        harness.Members.Set("s2", 1, "alice");
        harness.Routes.Set("alice", "gw-1");
        harness.Routes.Set("bob", "gw-2");
        await harness.Dispatcher.StartAsync(CancellationToken.None);

        await harness.Dispatcher.EnqueueAsync(TaskHarness.Event("s1", 1), CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30)); // the worker holds s1#1; the rest queue behind it
        var events = new[]
        {
            TaskHarness.Event("s1", 2), TaskHarness.Event("s1", 3), TaskHarness.Event("s1", 4), TaskHarness.Event("s1", 5),
            TaskHarness.Event("s2", 1), TaskHarness.Event("s1", 6), TaskHarness.Event("s1", 7, membersVersion: 2),
        };
        foreach (var pushEvent in events)
        {
            await harness.Dispatcher.EnqueueAsync(pushEvent, CancellationToken.None);
        }

        release.SetResult();
        await Eventually.TrueAsync(() => harness.Stats.EventsProcessed == 8, "every event is processed");

        var runs = harness.Gateways.Calls
            .Select(c => $"{c.GatewayId} {string.Join(",", c.Batch.All().Select(m => $"{m.SessionId}#{m.Seq}"))}")
            .ToList();
        Assert.Equal(
            ["s1#1", "s1#2,s1#3,s1#4", "s1#5", "s2#1", "s1#6", "s1#7"],
            runs.Where(r => r.StartsWith("gw-1 ", StringComparison.Ordinal)).Select(r => r[5..]));
        Assert.Equal(["s1#1", "s1#2,s1#3,s1#4", "s1#5", "s1#6", "s1#7"], runs.Where(r => r.StartsWith("gw-2 ", StringComparison.Ordinal)).Select(r => r[5..]));
        Assert.All(harness.Gateways.Calls.Where(c => c.Batch.Messages.Count > 0), c => Assert.Null(c.Batch.Message));
        Assert.Equal(15, harness.Stats.RecipientsDelivered);
    }

    [Fact]
    public async Task Dispatch_completes_after_delivery_and_faults_when_delivery_fails()
    {
        await using var harness = new TaskHarness(new TaskOptions { WorkerCount = 2 });
        harness.Members.Set("s1", 1, "alice");
        harness.Routes.Set("alice", "gw-1");
        await harness.Dispatcher.StartAsync(CancellationToken.None);

        await harness.Dispatcher.DispatchAsync(TaskHarness.Event("s1", 1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(harness.Gateways.Calls);

        var unknownSession = harness.Dispatcher.DispatchAsync(TaskHarness.Event("missing", 1), CancellationToken.None);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => unknownSession.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, harness.Stats.EventsFailed);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

}
