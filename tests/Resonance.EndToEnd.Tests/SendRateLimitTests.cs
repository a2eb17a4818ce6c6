using System.Net.WebSockets;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>
/// The buckets refill one token an hour here, so nothing refills while a test runs: every outcome is exact, and the
/// retry-after is that hour.
/// </summary>
public sealed class SendRateLimitTests
{
    private const int HourMs = 3_600_000;

    [Fact]
    public async Task A_connection_over_its_send_rate_gets_rate_limited_with_retry_after_stays_open_and_others_still_send()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:ConnectionSendRate"] = "1",
            ["Gateway:ConnectionSendBurst"] = "3",
            ["Gateway:SendRatePeriod"] = "01:00:00",
        });
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await server.GetTokenAsync(alice);
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var aliceSocket = await TestSocket.ConnectAsync(server, aliceToken);
        await using var bobSocket = await TestSocket.ConnectAsync(server, await server.GetTokenAsync(bob), Subprotocols.Json);

        for (var i = 0; i < 5; i++)
        {
            await aliceSocket.SendMessageAsync(session, $"m{i}", $"a{i}");
        }

        var answers = new List<WsPacket>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await aliceSocket.ReceiveUntilAnyAsync([WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.Error]));
        }

        // Still open: a ping is answered, and another user's sends go through.
        await aliceSocket.SendAsync(new WsPacket { Ping = new Ping() });
        await aliceSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Pong);
        await bobSocket.SendMessageAsync(session, "from bob", "b0");
        var bobAck = (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        await bobSocket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = session, RequestId = "all" } });
        var stored = (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.SyncResult)).SyncResult;

        Assert.Equal(
            [(WsPacket.BodyOneofCase.Ack, "a0"), (WsPacket.BodyOneofCase.Ack, "a1"), (WsPacket.BodyOneofCase.Ack, "a2"),
                (WsPacket.BodyOneofCase.Error, "a3"), (WsPacket.BodyOneofCase.Error, "a4")],
            answers.Select(a => (a.BodyCase, a.Ack?.ClientMsgId ?? a.Error.ClientMsgId)));
        Assert.All(answers.Skip(3), a =>
        {
            Assert.Equal(ErrorCodes.RateLimited, a.Error.Code);
            Assert.Equal(HourMs, a.Error.RetryAfterMs);
        });
        Assert.Equal(WebSocketState.Open, aliceSocket.State);
        Assert.Equal(4, bobAck.Seq);
        Assert.Equal(["m0", "m1", "m2", "from bob"], stored.Messages.Select(m => m.Content));
        Assert.Equal(2, server.GetRequiredService<GatewayCounters>().SendsRateLimited);
    }

    [Fact]
    public async Task A_users_send_rate_is_shared_by_all_of_its_connections_and_no_one_elses()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:UserSendRate"] = "1",
            ["Gateway:UserSendBurst"] = "2",
            ["Gateway:SendRatePeriod"] = "01:00:00",
        });
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await server.GetTokenAsync(alice);
        var bobToken = await server.GetTokenAsync(bob);
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var phone = await TestSocket.ConnectAsync(server, aliceToken);
        await using var laptop = await TestSocket.ConnectAsync(server, aliceToken, Subprotocols.Json);
        await using var bobSocket = await TestSocket.ConnectAsync(server, bobToken);

        var answers = new List<WsPacket>();
        foreach (var (socket, id) in new[] { (phone, "p0"), (laptop, "l0"), (phone, "p1"), (laptop, "l1") })
        {
            await socket.SendMessageAsync(session, id, id);
            answers.Add(await socket.ReceiveUntilAnyAsync([WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.Error]));
        }

        await bobSocket.SendMessageAsync(session, "b0", "b0");
        await bobSocket.SendMessageAsync(session, "b1", "b1");
        var bobAcks = new[]
        {
            (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack,
            (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack,
        };

        Assert.Equal(["ack p0", "ack l0", "rate_limited p1", "rate_limited l1"],
            answers.Select(a => a.Ack is { } ack ? "ack " + ack.ClientMsgId : $"{a.Error.Code} {a.Error.ClientMsgId}"));
        Assert.All(answers.Skip(2), a => Assert.Equal(HourMs, a.Error.RetryAfterMs));
        Assert.Equal([3L, 4L], bobAcks.Select(a => a.Seq));
    }
}
