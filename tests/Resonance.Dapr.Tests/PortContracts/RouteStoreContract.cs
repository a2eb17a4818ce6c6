using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts.V1;
using Resonance.Gateway.Routing;
using Resonance.TaskService.Dispatch;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>
/// What every engine's route store (written by gateways) and route lookup (read by task) must do,
/// run against each engine's adapters. Routes live <see cref="Ttl"/> unless refreshed.
/// </summary>
public abstract class RouteStoreContract : IAsyncLifetime
{
    protected static readonly TimeSpan Ttl = TimeSpan.FromSeconds(90);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The store gateway <paramref name="gatewayId"/> writes through (on Dapr, each gateway has its own sidecar).</summary>
    protected abstract IRouteStore StoreOf(string gatewayId);

    protected abstract IRouteLookup Lookup { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_user_on_two_gateways_is_found_on_both_and_unknown_users_are_left_out()
    {
        await ApplyAsync("gateway-1", ("alice", true), ("bob", true));
        await ApplyAsync("gateway-2", ("alice", true));

        var routed = await Lookup.GetGatewaysAsync(["alice", "bob", "carol"], CancellationToken.None);

        Assert.Equal(["gateway-1", "gateway-2"], routed["alice"].Order(StringComparer.Ordinal));
        Assert.Equal(["gateway-1"], routed["bob"]);
        Assert.False(routed.ContainsKey("carol"));
    }

    [Fact]
    public async Task A_disconnect_removes_only_that_gateway_and_repeating_a_change_changes_nothing()
    {
        await ApplyAsync("gateway-1", ("alice", true));
        await ApplyAsync("gateway-2", ("alice", true));
        await ApplyAsync("gateway-1", ("alice", false));
        await ApplyAsync("gateway-1", ("alice", false));
        await ApplyAsync("gateway-2", ("alice", true));

        var routed = await Lookup.GetGatewaysAsync(["alice"], CancellationToken.None);

        Assert.Equal(["gateway-2"], routed["alice"]);
    }

    [Fact]
    public async Task A_route_not_refreshed_within_the_ttl_is_gone_while_a_refreshed_one_stays()
    {
        await ApplyAsync("gateway-1", ("alice", true));
        await ApplyAsync("gateway-2", ("alice", true));
        Time.Advance(Ttl / 2);
        await ApplyAsync("gateway-2", ("alice", true));
        Time.Advance((Ttl / 2) + TimeSpan.FromSeconds(1));

        var routed = await Lookup.GetGatewaysAsync(["alice"], CancellationToken.None);

        Assert.Equal(["gateway-2"], routed["alice"]);
    }

    [Fact]
    public async Task Two_gateways_changing_the_same_users_at_once_lose_no_update()
    {
        var users = Enumerable.Range(0, 20).Select(i => $"user{i}").ToArray();

        await Task.WhenAll(
            Task.Run(() => Parallel.ForEachAsync(users, async (user, _) => await ApplyAsync("gateway-1", (user, true)))),
            Task.Run(() => Parallel.ForEachAsync(users, async (user, _) => await ApplyAsync("gateway-2", (user, true)))));

        var routed = await Lookup.GetGatewaysAsync(users, CancellationToken.None);
        Assert.All(users, user => Assert.Equal(["gateway-1", "gateway-2"], routed[user].Order(StringComparer.Ordinal)));
    }

    private Task ApplyAsync(string gatewayId, params (string Username, bool Connected)[] changes) =>
        StoreOf(gatewayId).ApplyAsync(
            [.. changes.Select(c => new RouteChange { Username = c.Username, GatewayId = gatewayId, Connected = c.Connected })],
            CancellationToken.None);
}
