using Resonance.Testing;

namespace Resonance.Gateway.Tests;

public sealed class ConnectionRegistryTests
{
    [Fact]
    public async Task Only_a_users_first_connection_and_last_disconnection_change_the_route()
    {
        var harness = new GatewayHarness();
        await harness.Routes.StartAsync(CancellationToken.None);
        var phone = harness.Connect("alice");
        var laptop = harness.Connect("alice");
        await harness.StepUntilAsync(() => harness.Routes.PendingCount == 0 && harness.Store.Writes.Count == 1, "alice's route is written");

        harness.Registry.Remove(phone);
        Assert.Equal(0, harness.Routes.PendingCount);
        Assert.True(harness.Routes.IsReportedOnline("alice"));
        Assert.Equal([laptop], harness.Registry.GetConnections("alice"));
        harness.Registry.Remove(laptop);

        Assert.Equal(1, harness.Routes.PendingCount);
        Assert.False(harness.Routes.IsReportedOnline("alice"));
        Assert.Empty(harness.Registry.GetConnections("alice"));
        Assert.Equal((0, 0), (harness.Registry.ConnectionCount, harness.Registry.UserCount));
        await harness.Routes.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void The_sweeper_closes_connections_idle_past_the_timeout_and_only_those()
    {
        var harness = new GatewayHarness(new GatewayOptions { IdleTimeout = TimeSpan.FromSeconds(90) });
        var sweeper = new Connections.IdleConnectionSweeper(harness.Registry, harness.Counters, Microsoft.Extensions.Options.Options.Create(harness.Options), harness.Time);
        var quiet = harness.Connect("quiet");
        harness.Time.Advance(TimeSpan.FromSeconds(60));
        var fresh = harness.Connect("fresh");

        harness.Time.Advance(TimeSpan.FromSeconds(31));
        sweeper.Sweep();

        Assert.True(quiet.IsClosing);
        Assert.False(fresh.IsClosing);
        Assert.Equal(1, harness.Counters.IdleCloses);
    }
}
