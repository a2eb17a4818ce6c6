using Resonance.Testing;

namespace Resonance.Gateway.Tests;

public sealed class RouteReporterTests
{
    [Fact]
    public async Task A_lone_change_is_written_at_once_and_later_ones_wait_for_the_interval_coalesced_per_user()
    {
        var harness = new GatewayHarness();
        await harness.Routes.StartAsync(CancellationToken.None);

        var first = harness.Routes.Report("alice", connected: true);
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        var second = harness.Routes.Report("bob", connected: true);
        _ = harness.Routes.Report("carol", connected: true);
        _ = harness.Routes.Report("bob", connected: false);
        await harness.StepUntilAsync(() => second.IsCompleted, "the second batch is written");

        var writes = harness.Store.Writes.ToList();
        var at = harness.Store.WrittenAt.ToList();
        Assert.InRange(at[1] - at[0], TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(120));
        Assert.Equal(2, writes.Count);
        Assert.Equal([("alice", true)], writes[0].Select(c => (c.Username, c.Connected)));
        Assert.Equal([("bob", false), ("carol", true)], writes[1].Select(c => (c.Username, c.Connected)).OrderBy(c => c.Username));
        Assert.All(writes.SelectMany(w => w), c => Assert.Equal("gateway-1", c.GatewayId));
        await harness.Routes.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Fifty_waiting_changes_are_written_without_waiting_for_the_interval()
    {
        var harness = new GatewayHarness();
        await harness.Routes.StartAsync(CancellationToken.None);
        await harness.Routes.Report("first", connected: true).WaitAsync(TimeSpan.FromSeconds(10));

        Task last = Task.CompletedTask;
        for (var i = 0; i < 50; i++)
        {
            last = harness.Routes.Report($"user{i}", connected: true);
        }

        await last.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 50], harness.Store.Writes.Select(w => w.Count));
        await harness.Routes.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_failed_write_is_retried_and_its_waiters_complete_only_when_it_lands()
    {
        var harness = new GatewayHarness();
        harness.Store.FailuresLeft = 2;
        await harness.Routes.StartAsync(CancellationToken.None);

        var routed = harness.Routes.Report("alice", connected: true);
        await Eventually.TrueAsync(() => harness.Counters.RouteFlushFailures == 1, "the first write failed");
        Assert.False(routed.IsCompleted);
        await harness.StepUntilAsync(() => harness.Counters.RouteFlushFailures == 2, "the second write failed");
        Assert.False(routed.IsCompleted);
        await harness.StepUntilAsync(() => routed.IsCompleted, "the third write lands");

        Assert.Equal([("alice", true)], harness.Store.Writes.Single().Select(c => (c.Username, c.Connected)));
        await harness.Routes.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Online_users_are_written_again_every_refresh_interval()
    {
        var harness = new GatewayHarness(new GatewayOptions { RouteRefreshInterval = TimeSpan.FromSeconds(1) });
        await harness.Routes.StartAsync(CancellationToken.None);
        await harness.Routes.Report("alice", connected: true).WaitAsync(TimeSpan.FromSeconds(10));
        _ = harness.Routes.Report("bob", connected: true);
        await harness.StepUntilAsync(() => harness.Store.Writes.Count == 2, "bob is written");
        _ = harness.Routes.Report("bob", connected: false);
        await harness.StepUntilAsync(() => harness.Store.Writes.Count == 3, "bob's departure is written");
        var departed = harness.Time.GetUtcNow();

        await harness.StepUntilAsync(() => harness.Store.Writes.Count == 4, "the refresh is written");

        Assert.InRange(harness.Store.WrittenAt.Last() - departed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.1));
        Assert.Equal([("alice", true)], harness.Store.Writes.Last().Select(c => (c.Username, c.Connected)));
        await harness.Routes.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stopping_gateway_withdraws_the_routes_of_everyone_online()
    {
        var harness = new GatewayHarness();
        await harness.Routes.StartAsync(CancellationToken.None);
        harness.Connect("alice");
        harness.Connect("bob", Connections.FrameEncoding.Json);
        await harness.StepUntilAsync(() => harness.Store.Writes.Sum(w => w.Count) == 2, "both routes are written");

        await harness.Routes.StopAsync(CancellationToken.None);

        Assert.Equal([("alice", false), ("bob", false)], harness.Store.Writes.Last().Select(c => (c.Username, c.Connected)).OrderBy(c => c.Username));
    }
}
