using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic;
using Resonance.TaskService.Dispatch;
using Resonance.Testing;
using static Resonance.DaprEngine.Tests.ClusterClients;

namespace Resonance.DaprEngine.Tests;

/// <summary>The Dapr engine under the faults Dapr allows: redelivery, reordering, a gateway or a logic replica gone, gateways unreachable.</summary>
public sealed class DaprFaultTests
{
    [Fact]
    public async Task Events_delivered_out_of_order_are_pushed_in_seq_order()
    {
        await using var cluster = await DaprCluster.StartAsync();
        cluster.Dapr.Faults.MaxDeliveryJitter = TimeSpan.FromMilliseconds(40);
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");

        await Task.WhenAll(Enumerable.Range(1, 15).Select(i => alice.SendMessageAsync(session, $"m{i}")));

        foreach (var socket in new[] { alice, bob })
        {
            Assert.Equal(Enumerable.Range(1, 15).Select(i => (long)i), (await ReceiveDistinctAsync(socket, session, 15)).Select(p => p.Seq));
        }
    }

    [Fact]
    public async Task Redelivered_and_reordered_events_give_every_member_each_seq_once_after_dedup()
    {
        await using var cluster = await DaprCluster.StartAsync();
        cluster.Dapr.Faults.ExtraDeliveries = 1;
        cluster.Dapr.Faults.MaxDeliveryJitter = TimeSpan.FromMilliseconds(300);
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");

        for (var i = 1; i <= 12; i++)
        {
            await SendAsync(alice, session, $"m{i}");
        }

        foreach (var socket in new[] { alice, bob })
        {
            var pushes = await ReceiveDistinctAsync(socket, session, 12);
            Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), pushes.Select(p => p.Seq).Order());
            Assert.All(pushes, p => Assert.Equal($"m{p.Seq}", p.Content));
        }

        // Every event reached task twice: the redeliveries were real.
        var stats = cluster.Instances("task").Single().GetRequiredService<PushStats>();
        await Eventually.TrueAsync(() => stats.EventsProcessed == 24, "task handled every event twice", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_gateway_that_dies_has_its_routes_expire_and_its_users_sync_everything_elsewhere()
    {
        await using var cluster = await DaprCluster.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:RouteRefreshInterval"] = "00:00:01" });
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        var bobOnTwo = await ConnectAsync(cluster.Gateway(2), "bob");
        var lookup = cluster.Instances("task").Single().GetRequiredService<IRouteLookup>();
        await Eventually.TrueAsync(() => Routed(lookup, "bob").Contains("gateway-2"), "bob is routed to gateway-2");

        // The sidecar goes first, so the gateway cannot withdraw its routes: as a crashed pod.
        await cluster.Gateway(2).Sidecar.DisposeAsync();
        await cluster.KillAsync(cluster.Gateway(2));
        await bobOnTwo.DisposeAsync();
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(alice, session, $"while bob is away {i}");
        }

        await Eventually.TrueAsync(() => !Routed(lookup, "bob").Contains("gateway-2"), "bob's route to the dead gateway expired", TimeSpan.FromSeconds(20));
        await using var bobOnOne = await ConnectAsync(cluster.Gateway(1), "bob");
        var synced = await SyncAsync(bobOnOne, session, afterSeq: 0);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), synced.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Stopping_the_logic_replica_that_holds_a_session_moves_it_without_losing_or_repeating_a_seq()
    {
        await using var cluster = await DaprCluster.StartAsync(gateways: 1, logicReplicas: 2);
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        var acks = new List<SendAck>();
        for (var i = 1; i <= 8; i++)
        {
            acks.Add((await SendAsync(alice, session, $"before {i}")).Ack);
        }

        var holder = cluster.Dapr.HostOf(DaprNames.SessionActorType, session)!;
        await cluster.KillAsync(cluster.Instances(DaprNames.LogicAppId).Single(h => h.Sidecar == holder));
        for (var i = 1; i <= 8; i++)
        {
            acks.Add((await SendAsync(alice, session, $"after {i}")).Ack);
        }

        var synced = await SyncAsync(alice, session, afterSeq: 0);
        Assert.NotEqual(holder, cluster.Dapr.HostOf(DaprNames.SessionActorType, session));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), acks.Select(a => a.Seq));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), synced.Messages.Select(m => m.Seq));
        Assert.Equal(acks.Select(a => a.MsgId), synced.Messages.Select(m => m.MsgId));
    }

    [Fact]
    public async Task Task_retries_while_the_gateways_are_unreachable_and_delivers_once_they_are_back()
    {
        await using var cluster = await DaprCluster.StartAsync(gateways: 1);
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(1), "bob");
        var stats = cluster.Instances("task").Single().GetRequiredService<PushStats>();
        cluster.Dapr.Faults.FailInvocations("gateway-1");

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, (await SendAsync(alice, session, $"m{i}")).Ack.Seq);
        }

        await Eventually.TrueAsync(() => stats.EventsProcessed >= 9, "each event was tried three times", TimeSpan.FromSeconds(30));
        Assert.Equal(0L, stats.RecipientsDelivered);
        cluster.Dapr.Faults.RestoreInvocations("gateway-1");

        Assert.Equal([1L, 2, 3], (await ReceiveDistinctAsync(bob, session, 3)).Select(p => p.Seq).Order());
    }

    private static IReadOnlyList<string> Routed(IRouteLookup lookup, string username) =>
        lookup.GetGatewaysAsync([username], CancellationToken.None).GetAwaiter().GetResult().GetValueOrDefault(username) ?? [];
}
