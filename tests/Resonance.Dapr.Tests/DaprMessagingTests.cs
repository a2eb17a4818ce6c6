using Resonance.Contracts;
using Resonance.Contracts.V1;
using static Resonance.DaprEngine.Tests.ClusterClients;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// The v1 contract on the Dapr engine, end to end: two gateways, logic and task as separate hosts over
/// loopback, each beside its fake sidecar, real WebSocket clients.
/// </summary>
public sealed class DaprMessagingTests
{
    [Fact]
    public async Task Group_messages_reach_every_device_on_both_gateways_in_seq_order()
    {
        await using var cluster = await DaprCluster.StartAsync();
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bobOne = await ConnectAsync(cluster.Gateway(1), "bob");
        await using var bobTwo = await ConnectAsync(cluster.Gateway(2), "bob");

        for (var i = 1; i <= 20; i++)
        {
            var answer = await SendAsync(alice, session, $"m{i}");
            Assert.Equal(i, answer.Ack.Seq);
        }

        foreach (var socket in new[] { alice, bobOne, bobTwo })
        {
            var pushes = await ReceiveDistinctAsync(socket, session, 20);
            Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), pushes.Select(p => p.Seq));
            Assert.Equal(Enumerable.Range(1, 20).Select(i => $"m{i}"), pushes.Select(p => p.Content));
        }
    }

    [Fact]
    public async Task An_admin_broadcast_on_one_gateway_reaches_connections_on_every_gateway_and_expires()
    {
        await using var cluster = await DaprCluster.StartAsync(settings: new Dictionary<string, string?> { ["Auth:AllowDevAdminTokens"] = "true" });
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");
        var adminToken = await cluster.Gateway(1).Rest.GetTokenAsync("admin", "admin");

        var answer = await cluster.Gateway(1).Rest.PostAsync<BroadcastResponse>("/api/v1/gateway/broadcast", new BroadcastRequest { Content = "maintenance at noon" }, adminToken);

        Assert.True(answer.Published);
        foreach (var socket in new[] { alice, bob })
        {
            var broadcast = (await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Broadcast, TimeSpan.FromSeconds(30))).Broadcast;
            Assert.Equal(("maintenance at noon", "admin"), (broadcast.Content, broadcast.From));
        }

        // For who is connected now: a gateway that subscribes later does not replay it.
        var published = Assert.Single(cluster.Dapr.Published, e => e.Topic == DaprNames.BroadcastsTopic);
        Assert.InRange(published.ExpiresAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(1), Gateway.Dapr.DaprBroadcaster.TimeToLive);
    }

    [Fact]
    public async Task Concurrent_senders_on_two_gateways_produce_one_total_order_seen_by_everyone()
    {
        await using var cluster = await DaprCluster.StartAsync();
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob", "carol");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");
        await using var carol = await ConnectAsync(cluster.Gateway(2), "carol");

        var sending = new[] { (alice, "a"), (bob, "b") }.Select(sender => Task.Run(async () =>
        {
            var acks = new List<SendAck>();
            for (var i = 0; i < 15; i++)
            {
                acks.Add((await SendAsync(sender.Item1, session, $"{sender.Item2}{i}")).Ack);
            }

            return acks;
        }));
        var acks = (await Task.WhenAll(sending)).SelectMany(a => a).ToList();

        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), acks.Select(a => a.Seq).Order());
        var orders = new List<string[]>();
        foreach (var socket in new[] { alice, bob, carol })
        {
            var pushes = await ReceiveDistinctAsync(socket, session, 30);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), pushes.Select(p => p.Seq));
            orders.Add([.. pushes.Select(p => p.MsgId)]);
        }

        Assert.All(orders, order => Assert.Equal(orders[0], order));
    }

    [Fact]
    public async Task Resends_non_members_and_missed_messages_get_the_answers_they_get_on_the_local_engine()
    {
        await using var cluster = await DaprCluster.StartAsync();
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var mallory = await ConnectAsync(cluster.Gateway(2), "mallory");

        var first = (await SendAsync(alice, session, "hello", "c-1")).Ack;
        var again = (await SendAsync(alice, session, "hello again", "c-1")).Ack;
        var refused = (await SendAsync(mallory, session, "let me in")).Error;
        var missing = (await SendAsync(mallory, SessionIdsForTests.MissingGroup, "anyone?")).Error;
        for (var i = 2; i <= 8; i++)
        {
            await SendAsync(alice, session, $"while bob is away {i}");
        }

        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");
        var synced = await SyncAsync(bob, session, afterSeq: 1);

        Assert.Equal(first, again);
        Assert.Equal((ErrorCodes.SessionNotFound, $"session {session} does not exist"), (refused.Code, refused.Message));
        Assert.Equal(ErrorCodes.SessionNotFound, missing.Code);
        Assert.Equal(Enumerable.Range(2, 7).Select(i => (long)i), synced.Messages.Select(m => m.Seq));
        Assert.Equal((8L, false), (synced.LastSeq, synced.HasMore));
    }

    [Fact]
    public async Task Sessions_are_listed_in_pages_from_the_users_index()
    {
        await using var cluster = await DaprCluster.StartAsync(gateways: 1);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateGroupAsync(cluster.Gateway(1), "alice", "bob"));
        }

        var token = await cluster.Gateway(1).Rest.GetTokenAsync("bob");
        var first = await cluster.Gateway(1).Rest.GetAsync<ListSessionsResponse>("/api/v1/sessions?limit=3", token);
        var second = await cluster.Gateway(1).Rest.GetAsync<ListSessionsResponse>($"/api/v1/sessions?limit=3&afterSessionId={first.Sessions[^1].SessionId}", token);

        Assert.Equal((3, true, 2, false), (first.Sessions.Count, first.HasMore, second.Sessions.Count, second.HasMore));
        Assert.Equal(created.Order(StringComparer.Ordinal), first.Sessions.Concat(second.Sessions).Select(s => s.SessionId));
        Assert.All(first.Sessions, s => Assert.Equal(["alice", "bob"], s.Members));
    }
}
