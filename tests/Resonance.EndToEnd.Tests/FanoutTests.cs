using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.TaskService.Dispatch;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class FanoutTests
{
    [Fact]
    public async Task Messages_to_a_1000_member_group_go_to_the_gateway_one_batch_per_run_and_reach_every_connected_member_once()
    {
        await using var server = await StandaloneServer.StartAsync();
        var owner = Names.User("owner");
        var members = Enumerable.Range(0, 999).Select(i => Names.User($"m{i}")).ToList();
        var ownerToken = await server.GetTokenAsync(owner);
        var session = await server.CreateSessionAsync(ownerToken, SessionKinds.Group, [.. members]);
        var connected = new List<TestSocket>();
        foreach (var member in members.Take(100))
        {
            connected.Add(await TestSocket.ConnectAsync(server, await server.GetTokenAsync(member)));
        }

        await using var ownerSocket = await TestSocket.ConnectAsync(server, ownerToken);
        var stats = server.GetRequiredService<PushStats>();
        var counters = server.GetRequiredService<GatewayCounters>();
        var batchesBefore = stats.BatchesSent;

        await MessagingTests.SendAll(ownerSocket, session, "to-all", 3);
        foreach (var socket in connected)
        {
            Assert.Equal([1L, 2L, 3L], (await socket.ReceivePushesAsync(3)).Select(p => p.Seq));
        }

        // Task pushes the messages queued behind each other as one run: how many runs the three make depends on
        // how fast they arrive (1 to 3); each run is one batch to the one gateway, for all 101 online members.
        var batches = stats.BatchesSent - batchesBefore;
        Assert.InRange(batches, 1, 3);
        Assert.Equal(batches, counters.PushBatches);
        Assert.Equal(batches * 101, counters.PushRecipients);
        Assert.Equal(3 * 101, stats.RecipientsDelivered);
        Assert.Equal(3 * 899, stats.RecipientsOffline);
        foreach (var socket in connected)
        {
            await socket.DisposeAsync();
        }
    }
}
