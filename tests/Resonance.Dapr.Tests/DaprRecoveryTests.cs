using System.Net.WebSockets;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic;
using Resonance.TaskService;
using Resonance.TaskService.Dispatch;
using Resonance.Testing;
using Xunit.Abstractions;
using static Resonance.DaprEngine.Tests.ClusterClients;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// The Dapr engine when an app goes away under load: logic crashing and coming back behind the same sidecar,
/// a gateway drained, task stopped and restarted. The same ledger as the Local engine's crash tests: nothing
/// acked is lost, seqs stay gapless, resends get their original acks.
/// </summary>
public sealed class DaprRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The test clients send as fast as acks come: the gateways' abuse limits would refuse them.</summary>
    private static readonly Dictionary<string, string?> NoLimits = new()
    {
        ["Gateway:ConnectionSendRate"] = "0",
        ["Gateway:UserSendRate"] = "0",
        ["Gateway:SessionCreateLimit"] = "0",
        ["Gateway:RestRequestRate"] = "0",
    };

    [Fact]
    public async Task Logic_crashing_under_concurrent_sends_and_restarted_behind_its_sidecar_keeps_every_acked_message_and_its_ack()
    {
        await using var cluster = await DaprCluster.StartAsync(gateways: 1, settings: NoLimits);
        var gateway = cluster.Gateway(1);
        var users = new[] { "alice", "bob", "carol" };
        var tokens = new Dictionary<string, string>();
        foreach (var user in users)
        {
            tokens[user] = await gateway.Rest.GetTokenAsync(user);
        }

        var session = await gateway.Rest.CreateSessionAsync(tokens["alice"], SessionKinds.Group, "bob", "carol");
        var ledger = new SentLedger();
        var sockets = await Task.WhenAll(users.Select(user => TestSocket.ConnectAsync(gateway.WebSocketAddress, tokens[user])));
        var senders = users.Zip(sockets, (user, socket) => new PipelinedSender(socket, user, session, ledger)).ToList();
        using var stop = new CancellationTokenSource();
        var runs = senders.Select(sender => sender.RunAsync(stop.Token)).ToList();

        await Eventually.TrueAsync(() => ledger.AckCount >= 90, "90 sends are acked", Timeout);
        var sidecar = await cluster.CrashAppAsync(cluster.Instances(DaprNames.LogicAppId).Single());

        // Sends reach no logic now: each is refused. Then the senders stop and every send written has its answer.
        await Eventually.TrueAsync(() => ledger.Refusals.Count > 0, "a send is refused while logic is down", Timeout);
        await stop.CancelAsync();
        await Eventually.TrueAsync(() => ledger.AckCount + ledger.Refusals.Count == ledger.Attempted, "every send written is answered", Timeout);
        var (attempted, acked) = (ledger.Attempted, ledger.AckCount);
        foreach (var (sender, socket) in senders.Zip(sockets))
        {
            await socket.DisposeAsync();
            sender.Dispose();
        }

        await Task.WhenAll(runs).WaitAsync(Timeout);
        Assert.All(ledger.Refusals, error => Assert.Equal(ErrorCodes.Unavailable, error.Code));

        await cluster.StartAppAsync(sidecar, LogicApp.Create, NoLimits);
        var history = await gateway.Rest.ReadHistoryAsync(tokens["alice"], session);
        var figures = ledger.Check(history);
        output.WriteLine($"crashed with {attempted} sent, {acked} acked; after the restart {history.Count} stored, {figures.UnackedStored} unacked ones among them, {figures.UnackedLost} not stored");

        await ledger.ResendAllAsync(gateway.WebSocketAddress, tokens, session, history);
        var afterResends = await gateway.Rest.ReadHistoryAsync(tokens["alice"], session);
        ledger.Check(afterResends);
        Assert.Equal(ledger.Attempted, afterResends.Count);
    }

    [Fact]
    public async Task A_drained_gateway_closes_with_1001_withdraws_its_routes_and_its_users_sync_everything_on_the_other()
    {
        await using var cluster = await DaprCluster.StartAsync(gateways: 2, settings: NoLimits);
        var (one, two) = (cluster.Gateway(1), cluster.Gateway(2));
        var users = new[] { "bob", "carol" };
        var tokens = new Dictionary<string, string>();
        foreach (var user in users.Append("alice"))
        {
            tokens[user] = await one.Rest.GetTokenAsync(user);
        }

        var session = await one.Rest.CreateSessionAsync(tokens["alice"], SessionKinds.Group, users);
        await using var alice = await TestSocket.ConnectAsync(one.WebSocketAddress, tokens["alice"]);
        var ledger = new SentLedger();
        var sockets = await Task.WhenAll(users.Select(user => TestSocket.ConnectAsync(two.WebSocketAddress, tokens[user])));
        var senders = users.Zip(sockets, (user, socket) => new PipelinedSender(socket, user, session, ledger)).ToList();
        var lookup = cluster.Instances("task").Single().GetRequiredService<IRouteLookup>();
        await Eventually.TrueAsync(() => users.All(user => RoutedTo(lookup, user).Contains("gateway-2")), "bob and carol are routed to gateway-2", Timeout);

        var runs = senders.Select(sender => sender.RunAsync(CancellationToken.None)).ToList();
        await Eventually.TrueAsync(() => ledger.AckCount >= 60, "60 sends are acked", Timeout);
        await cluster.DrainAsync(two);
        await Task.WhenAll(runs).WaitAsync(Timeout);

        Assert.All(senders, sender => Assert.True(sender.CloseStatus == WebSocketCloseStatus.EndpointUnavailable, $"{sender.User}: {sender.CloseStatus?.ToString() ?? sender.Failure?.ToString()}"));

        // Withdrawn while the gateway stopped, not left to expire (the route TTL is 90 s).
        Assert.All(users, user => Assert.Empty(RoutedTo(lookup, user)));
        Assert.Empty(ledger.Refusals);

        var history = await one.Rest.ReadHistoryAsync(tokens["alice"], session);
        var figures = ledger.Check(history);
        output.WriteLine($"drained with {ledger.Attempted} sent, {ledger.AckCount} acked, {history.Count} stored");
        Assert.Equal(0, figures.UnackedStored);

        foreach (var user in users)
        {
            await using var again = await TestSocket.ConnectAsync(one.WebSocketAddress, tokens[user]);
            var synced = await SyncAllAsync(again, session);
            Assert.Equal(history.Select(m => (m.Seq, m.MsgId, m.Content)), synced.Select(m => (m.Seq, m.MsgId, m.Content)));
        }

        var pushed = await ReceiveDistinctAsync(alice, session, history.Count);
        Assert.Equal(history.Select(m => m.MsgId), pushed.OrderBy(p => p.Seq).Select(p => p.MsgId));
        foreach (var (sender, socket) in senders.Zip(sockets))
        {
            sender.Dispose();
            await socket.DisposeAsync();
        }
    }

    [Fact]
    public async Task Task_stopped_and_restarted_while_messages_are_published_delivers_every_message_after_and_history_keeps_all()
    {
        const int Messages = 30;
        await using var cluster = await DaprCluster.StartAsync(gateways: 2, settings: NoLimits);
        var session = await CreateGroupAsync(cluster.Gateway(1), "alice", "bob");
        await using var alice = await ConnectAsync(cluster.Gateway(1), "alice");
        await using var bob = await ConnectAsync(cluster.Gateway(2), "bob");
        var task = cluster.Instances("task").Single();

        var acks = new List<SendAck>();
        for (var i = 1; i <= 10; i++)
        {
            acks.Add((await SendAsync(alice, session, $"m{i}")).Ack);
        }

        // Stopped while the first ten may still be on their way to gateways.
        var sidecar = await cluster.CrashAppAsync(task);
        for (var i = 11; i <= 20; i++)
        {
            acks.Add((await SendAsync(alice, session, $"m{i}")).Ack);
        }

        var restarted = await cluster.StartAppAsync(sidecar, TaskApp.Create, NoLimits);
        for (var i = 21; i <= Messages; i++)
        {
            acks.Add((await SendAsync(alice, session, $"m{i}")).Ack);
        }

        Assert.Equal(Enumerable.Range(1, Messages).Select(i => (long)i), acks.Select(a => a.Seq));
        var pushes = await ReceiveDistinctAsync(bob, session, Messages);
        Assert.Equal(Enumerable.Range(1, Messages).Select(i => $"m{i}"), pushes.OrderBy(p => p.Seq).Select(p => p.Content));

        // Only the new instance was there for the events of m11..m30 (at-least-once: it may have had some of m1..m10 again).
        var stats = restarted.GetRequiredService<PushStats>();
        await Eventually.TrueAsync(() => stats.EventsProcessed >= 20, "the restarted task handled the 20 events published while it was down and after", Timeout);
        var history = await cluster.Gateway(1).Rest.ReadHistoryAsync(await cluster.Gateway(1).Rest.GetTokenAsync("bob"), session);
        Assert.Equal(acks.Select(a => (a.Seq, a.MsgId)), history.Select(m => (m.Seq, m.MsgId)));
    }

    private static async Task<List<Push>> SyncAllAsync(TestSocket socket, string sessionId)
    {
        var messages = new List<Push>();
        while (true)
        {
            var page = await SyncAsync(socket, sessionId, messages.Count == 0 ? 0 : messages[^1].Seq);
            messages.AddRange(page.Messages);
            if (!page.HasMore)
            {
                return messages;
            }
        }
    }

    private static IReadOnlyList<string> RoutedTo(IRouteLookup lookup, string username) =>
        lookup.GetGatewaysAsync([username], CancellationToken.None).GetAwaiter().GetResult().GetValueOrDefault(username) ?? [];
}
