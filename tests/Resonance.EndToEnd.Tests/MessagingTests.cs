using System.Net;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class MessagingTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Acks_carry_seq_from_1_without_gaps_in_send_order()
    {
        var alice = Names.User("alice");
        var token = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        await using var socket = await TestSocket.ConnectAsync(Server, token);

        var ids = Enumerable.Range(1, 20).Select(i => $"m{i}").ToList();
        foreach (var id in ids)
        {
            await socket.SendMessageAsync(session, "hello " + id, id);
        }

        var acks = new List<SendAck>();
        while (acks.Count < ids.Count)
        {
            acks.Add((await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack);
        }

        Assert.Equal(ids, acks.Select(a => a.ClientMsgId));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), acks.Select(a => a.Seq));
        Assert.All(acks, a => Assert.Equal(session, a.SessionId));
        Assert.Equal(20, acks.Select(a => a.MsgId).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_senders_get_one_total_order_that_every_member_sees()
    {
        var (alice, bob, carol) = (Names.User("alice"), Names.User("bob"), Names.User("carol"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var bobToken = await Server.GetTokenAsync(bob);
        var carolToken = await Server.GetTokenAsync(carol);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob, carol);
        await using var aliceSocket = await TestSocket.ConnectAsync(Server, aliceToken);
        await using var bobSocket = await TestSocket.ConnectAsync(Server, bobToken, Subprotocols.Json);
        await using var carolSocket = await TestSocket.ConnectAsync(Server, carolToken);
        const int perSender = 50;

        await Task.WhenAll(
            SendAll(aliceSocket, session, "a", perSender),
            SendAll(bobSocket, session, "b", perSender));

        var seen = await Task.WhenAll(
            aliceSocket.ReceivePushesAsync(2 * perSender),
            bobSocket.ReceivePushesAsync(2 * perSender),
            carolSocket.ReceivePushesAsync(2 * perSender));

        var expectedSeqs = Enumerable.Range(1, 2 * perSender).Select(i => (long)i).ToList();
        foreach (var pushes in seen)
        {
            Assert.Equal(expectedSeqs, pushes.Select(p => p.Seq));
            Assert.Equal(seen[0].Select(p => p.MsgId), pushes.Select(p => p.MsgId));
        }

        // Each sender's own messages keep the order it sent them in.
        Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"a{i}"), seen[2].Where(p => p.From == alice).Select(p => p.Content));
        Assert.Equal(Enumerable.Range(0, perSender).Select(i => $"b{i}"), seen[2].Where(p => p.From == bob).Select(p => p.Content));
    }

    [Fact]
    public async Task Every_device_of_a_member_receives_each_push_and_the_senders_other_devices_too()
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var bobToken = await Server.GetTokenAsync(bob);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);
        await using var alicePhone = await TestSocket.ConnectAsync(Server, aliceToken);
        await using var aliceLaptop = await TestSocket.ConnectAsync(Server, aliceToken, Subprotocols.Json);
        var bobDevices = new List<TestSocket>();
        for (var i = 0; i < 3; i++)
        {
            bobDevices.Add(await TestSocket.ConnectAsync(Server, bobToken, i == 1 ? Subprotocols.Json : Subprotocols.Protobuf));
        }

        await alicePhone.SendMessageAsync(session, "first");
        await alicePhone.SendMessageAsync(session, "second");

        foreach (var device in bobDevices.Append(aliceLaptop).Append(alicePhone))
        {
            var pushes = await device.ReceivePushesAsync(2);
            Assert.Equal(["first", "second"], pushes.Select(p => p.Content));
            Assert.Equal([1L, 2L], pushes.Select(p => p.Seq));
            Assert.All(pushes, p => Assert.Equal(alice, p.From));
        }

        foreach (var device in bobDevices)
        {
            await device.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resending_a_client_msg_id_returns_the_original_ack_and_stores_nothing_new()
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var bobToken = await Server.GetTokenAsync(bob);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var aliceSocket = await TestSocket.ConnectAsync(Server, aliceToken);
        await using var bobSocket = await TestSocket.ConnectAsync(Server, bobToken);

        await aliceSocket.SendMessageAsync(session, "once", "same-id");
        var first = (await aliceSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        await aliceSocket.SendMessageAsync(session, "once again?", "same-id");
        var second = (await aliceSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        await aliceSocket.SendMessageAsync(session, "next", "other-id");
        var third = (await aliceSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;

        Assert.Equal(first, second);
        Assert.Equal(2, third.Seq);
        var bobPushes = await bobSocket.ReceivePushesAsync(2);
        Assert.Equal([1L, 2L], bobPushes.Select(p => p.Seq));
        Assert.Equal(["once", "next"], bobPushes.Select(p => p.Content));

        var history = await Server.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages", aliceToken);
        Assert.Equal(["once", "next"], history.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_non_member_can_neither_send_nor_sync_nor_read_history()
    {
        var (alice, bob, mallory) = (Names.User("alice"), Names.User("bob"), Names.User("mallory"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var malloryToken = await Server.GetTokenAsync(mallory);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var socket = await TestSocket.ConnectAsync(Server, malloryToken);

        await socket.SendMessageAsync(session, "let me in", "m1");
        var sendError = (await socket.ReceiveAsync()).Error;
        await socket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = session } });
        var syncError = (await socket.ReceiveAsync()).Error;
        using var history = await Server.SendAsync(HttpMethod.Get, $"/api/v1/sessions/{session}/messages", null, malloryToken);
        var addMembers = new AddMembersRequest { Members = { mallory } };
        using var add = await Server.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{session}/members", addMembers, malloryToken);

        Assert.Equal((ErrorCodes.SessionNotFound, "m1"), (sendError.Code, sendError.ClientMsgId));
        Assert.Equal(ErrorCodes.SessionNotFound, syncError.Code);
        Assert.Equal($"session {session} does not exist", sendError.Message);
        Assert.Equal(HttpStatusCode.NotFound, history.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, add.StatusCode);
        Assert.Contains("\"code\":\"session_not_found\"", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = await Server.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages", aliceToken);
        Assert.Empty(stored.Messages);
    }

    [Fact]
    public async Task A_client_offline_for_K_messages_syncs_exactly_those_K()
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var bobToken = await Server.GetTokenAsync(bob);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var aliceSocket = await TestSocket.ConnectAsync(Server, aliceToken);
        var bobSocket = await TestSocket.ConnectAsync(Server, bobToken);
        await SendAll(aliceSocket, session, "before", 3);
        var seenBefore = await bobSocket.ReceivePushesAsync(3);
        await bobSocket.CloseAsync();
        await bobSocket.DisposeAsync();

        const int missed = 7;
        await SendAll(aliceSocket, session, "while-away", missed);
        await using var bobAgain = await TestSocket.ConnectAsync(Server, bobToken);
        await bobAgain.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = session, AfterSeq = seenBefore[^1].Seq } });
        var sync = (await bobAgain.ReceiveUntilAsync(WsPacket.BodyOneofCase.SyncResult)).SyncResult;

        Assert.Equal(Enumerable.Range(4, missed).Select(i => (long)i), sync.Messages.Select(m => m.Seq));
        Assert.Equal(Enumerable.Range(0, missed).Select(i => $"while-away{i}"), sync.Messages.Select(m => m.Content));
        Assert.False(sync.HasMore);
        Assert.Equal(3 + missed, sync.LastSeq);
    }

    [Fact]
    public async Task Sync_pages_through_history_with_has_more()
    {
        var alice = Names.User("alice");
        var token = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        await using var socket = await TestSocket.ConnectAsync(Server, token);
        await SendAll(socket, session, "m", 5);

        var pages = new List<SyncResult>();
        long after = 0;
        do
        {
            await socket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = session, AfterSeq = after, Limit = 2 } });
            pages.Add((await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.SyncResult)).SyncResult);
            after = pages[^1].Messages.Count > 0 ? pages[^1].Messages[^1].Seq : after;
        }
        while (pages[^1].HasMore);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], pages.SelectMany(p => p.Messages).Select(m => m.Seq));
        var rest = await Server.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages?afterSeq=3&limit=10", token);
        Assert.Equal([4L, 5L], rest.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Sessions_list_shows_my_sessions_with_their_last_seq()
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var bobToken = await Server.GetTokenAsync(bob);
        var group = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        var direct = await Server.CreateSessionAsync(bobToken, SessionKinds.Direct, alice);
        var directAgain = await Server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);
        await using var socket = await TestSocket.ConnectAsync(Server, aliceToken);
        await SendAll(socket, group, "g", 2);

        var sessions = (await Server.GetAsync<ListSessionsResponse>("/api/v1/sessions", bobToken)).Sessions.ToDictionary(s => s.SessionId);

        Assert.Equal(direct, directAgain);
        Assert.Equal(2, sessions.Count);
        Assert.Equal((SessionKinds.Group, 2L), (sessions[group].Kind, sessions[group].LastSeq));
        Assert.Equal((SessionKinds.Direct, 0L), (sessions[direct].Kind, sessions[direct].LastSeq));
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), sessions[direct].Members);
    }

    [Fact]
    public async Task Added_members_receive_later_messages_and_history()
    {
        var (alice, bob, dave) = (Names.User("alice"), Names.User("bob"), Names.User("dave"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var daveToken = await Server.GetTokenAsync(dave);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await using var aliceSocket = await TestSocket.ConnectAsync(Server, aliceToken);
        await using var daveSocket = await TestSocket.ConnectAsync(Server, daveToken);
        await SendAll(aliceSocket, session, "before", 1);

        var added = await Server.PostAsync<AddMembersResponse>($"/api/v1/sessions/{session}/members", new AddMembersRequest { Members = { dave } }, aliceToken);
        await SendAll(aliceSocket, session, "after", 1);

        Assert.Contains(dave, added.Members);
        var push = (await daveSocket.ReceivePushesAsync(1))[0];
        Assert.Equal(("after0", 2L), (push.Content, push.Seq));
        var history = await Server.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages", daveToken);
        Assert.Equal(["before0", "after0"], history.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_direct_session_has_fixed_members()
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);

        using var add = await Server.SendAsync(HttpMethod.Post, $"/api/v1/sessions/{session}/members", new AddMembersRequest { Members = { Names.User("carol") } }, aliceToken);
        using var threeWay = await Server.SendAsync(HttpMethod.Post, "/api/v1/sessions", new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { bob, "carol" } }, aliceToken);

        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, threeWay.StatusCode);
    }

    internal static async Task SendAll(TestSocket socket, string session, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await socket.SendMessageAsync(session, prefix + i, $"{prefix}-{i}");
        }

        for (var i = 0; i < count; i++)
        {
            await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack);
        }
    }
}
