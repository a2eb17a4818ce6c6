using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts.V1;
using Resonance.Standalone.Local;

namespace Resonance.EndToEnd.Tests;

/// <summary>The Local engine's route table on its own, on a fake clock.</summary>
public sealed class InMemoryRouteTableTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryRouteTable _routes;

    public InMemoryRouteTableTests() =>
        _routes = new InMemoryRouteTable(Options.Create(new LocalEngineOptions { RouteTtl = TimeSpan.FromSeconds(90) }), _time);

    [Fact]
    public async Task A_route_expires_unless_refreshed_within_the_ttl_and_the_user_is_then_forgotten()
    {
        await Apply(("alice", "gw-1", true), ("alice", "gw-2", true), ("bob", "gw-1", true));
        _time.Advance(TimeSpan.FromSeconds(60));
        await Apply(("alice", "gw-2", true));

        _time.Advance(TimeSpan.FromSeconds(31));
        var routed = await _routes.GetGatewaysAsync(["alice", "bob", "carol"], CancellationToken.None);

        Assert.Equal(["gw-2"], routed["alice"]);
        Assert.False(routed.ContainsKey("bob"));
        Assert.False(routed.ContainsKey("carol"));
        Assert.Equal(1, _routes.UserCount);
    }

    [Fact]
    public async Task A_disconnect_removes_only_that_gateway_and_the_last_one_forgets_the_user()
    {
        await Apply(("alice", "gw-1", true), ("alice", "gw-2", true));
        await Apply(("alice", "gw-1", false));
        var afterOne = await _routes.GetGatewaysAsync(["alice"], CancellationToken.None);
        await Apply(("alice", "gw-2", false));
        var afterBoth = await _routes.GetGatewaysAsync(["alice"], CancellationToken.None);

        Assert.Equal(["gw-2"], afterOne["alice"]);
        Assert.Empty(afterBoth);
        Assert.Equal(0, _routes.UserCount);
    }

    [Fact]
    public async Task Lookups_between_changes_share_one_gateway_array()
    {
        await Apply(("alice", "gw-1", true));

        var first = await _routes.GetGatewaysAsync(["alice"], CancellationToken.None);
        var second = await _routes.GetGatewaysAsync(["alice"], CancellationToken.None);

        Assert.Same(first["alice"], second["alice"]);
    }

    private Task Apply(params (string User, string Gateway, bool Connected)[] changes) =>
        _routes.ApplyAsync([.. changes.Select(c => new RouteChange { Username = c.User, GatewayId = c.Gateway, Connected = c.Connected })], CancellationToken.None);
}
