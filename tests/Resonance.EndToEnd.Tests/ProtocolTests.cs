using System.Net;
using System.Net.WebSockets;
using System.Text;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class ProtocolTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task No_token_or_a_bad_token_gets_401_before_the_upgrade()
    {
        using var noToken = await Server.Http.GetAsync("/ws");
        using var badToken = await Server.Http.GetAsync("/ws?access_token=not.a.jwt");
        using var badRest = await Server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, "not.a.jwt");
        using var socket = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Server.WebSocketAddress, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badRest.StatusCode);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_the_query_string_connects_and_the_welcome_names_the_user()
    {
        var alice = Names.User("alice");
        var token = await Server.GetTokenAsync(alice);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(Subprotocols.Json);
        await socket.ConnectAsync(new Uri(Server.WebSocketAddress + "?access_token=" + token), CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var welcome = ProtobufJson.Parser.Parse<WsPacket>(Encoding.UTF8.GetString(buffer, 0, received.Count)).Welcome;

        Assert.Equal(Subprotocols.Json, socket.SubProtocol);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal(alice, welcome.Username);
        Assert.Equal("gateway-1", welcome.GatewayId);
        Assert.True(welcome.IdleTimeoutSeconds > welcome.HeartbeatIntervalSeconds);
    }

    [Theory]
    [InlineData(Subprotocols.Protobuf)]
    [InlineData(Subprotocols.Json)]
    public async Task Ping_gets_pong(string subprotocol)
    {
        await using var socket = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(Names.User("alice")), subprotocol);

        await socket.SendAsync(new WsPacket { Ping = new Ping() });

        Assert.Equal(WsPacket.BodyOneofCase.Pong, (await socket.ReceiveAsync()).BodyCase);
    }

    [Fact]
    public async Task Garbage_gets_a_bad_packet_error_and_the_connection_keeps_working()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        await using var binary = await TestSocket.ConnectAsync(Server, token);
        await using var json = await TestSocket.ConnectAsync(Server, token, Subprotocols.Json);

        await binary.SendRawAsync([0xFF, 0xFF, 0xFF, 0x01], WebSocketMessageType.Binary);
        var binaryError = (await binary.ReceiveAsync()).Error;
        await json.SendRawAsync(Encoding.UTF8.GetBytes("{not json"), WebSocketMessageType.Text);
        var jsonError = (await json.ReceiveAsync()).Error;
        await binary.SendMessageAsync(session, "still here", "after-garbage");
        var ack = (await binary.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;

        Assert.Equal(ErrorCodes.BadPacket, binaryError.Code);
        Assert.Equal(ErrorCodes.BadPacket, jsonError.Code);
        Assert.Equal(("after-garbage", 1L), (ack.ClientMsgId, ack.Seq));
    }

    [Fact]
    public async Task Unknown_or_server_only_bodies_get_a_bad_packet_error()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        await using var json = await TestSocket.ConnectAsync(Server, token, Subprotocols.Json);
        await using var binary = await TestSocket.ConnectAsync(Server, token);

        await json.SendRawAsync(Encoding.UTF8.GetBytes("""{"launchMissiles":{}}"""), WebSocketMessageType.Text);
        var unknown = (await json.ReceiveAsync()).Error;
        await binary.SendAsync(new WsPacket { Ack = new SendAck { Seq = 1 } });
        var serverOnly = (await binary.ReceiveAsync()).Error;

        Assert.Equal((ErrorCodes.BadPacket, "the packet has no body"), (unknown.Code, unknown.Message));
        Assert.Equal(ErrorCodes.BadPacket, serverOnly.Code);
        Assert.Contains("Ack", serverOnly.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_commands_get_an_error_naming_the_problem()
    {
        var alice = Names.User("alice");
        var token = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        await using var socket = await TestSocket.ConnectAsync(Server, token);

        await socket.SendAsync(new WsPacket { Send = new SendCommand { SessionId = session, Content = "x" } });
        var noClientMsgId = (await socket.ReceiveAsync()).Error;
        await socket.SendMessageAsync(session, string.Empty, "empty");
        var empty = (await socket.ReceiveAsync()).Error;
        await socket.SendMessageAsync("g_doesnotexist", "hi", "nowhere");
        var missing = (await socket.ReceiveAsync()).Error;
        await socket.SendMessageAsync("../etc/passwd", "hi", "weird");
        var badId = (await socket.ReceiveAsync()).Error;

        Assert.Equal(ErrorCodes.InvalidArgument, noClientMsgId.Code);
        Assert.Equal((ErrorCodes.InvalidArgument, "empty"), (empty.Code, empty.ClientMsgId));
        Assert.Equal((ErrorCodes.SessionNotFound, "nowhere"), (missing.Code, missing.ClientMsgId));
        Assert.Equal((ErrorCodes.InvalidArgument, "weird"), (badId.Code, badId.ClientMsgId));
    }

    [Fact]
    public async Task An_oversized_frame_closes_the_connection_with_1009_and_others_are_unaffected()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        await using var bystander = await TestSocket.ConnectAsync(Server, token);
        await using var socket = await TestSocket.ConnectAsync(Server, token);

        await socket.SendRawAsync(new byte[128 * 1024], WebSocketMessageType.Binary);
        var (status, reason) = await socket.WaitForCloseAsync();
        await bystander.SendAsync(new WsPacket { Ping = new Ping() });

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Contains("65536", reason, StringComparison.Ordinal);
        Assert.Equal(WsPacket.BodyOneofCase.Pong, (await bystander.ReceiveAsync()).BodyCase);
    }

    [Theory]
    [InlineData(Subprotocols.Protobuf)]
    [InlineData(Subprotocols.Json)]
    public async Task Frames_of_one_byte_to_several_receive_chunks_arrive_whole(string subprotocol)
    {
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);
        await using var aliceSocket = await TestSocket.ConnectAsync(Server, aliceToken, subprotocol);
        await using var bobSocket = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(bob), subprotocol);

        // Around the 4 KiB chunk a frame is read into, and across several of them (the content limit is 16,384).
        int[] lengths = [1, 4000, 4096, 4097, 8192, 12_345, 16_384];
        var contents = lengths.Select((length, i) => string.Concat(Enumerable.Range(0, length).Select(n => (char)('a' + ((n + i) % 26))))).ToArray();
        for (var i = 0; i < contents.Length; i++)
        {
            await aliceSocket.SendMessageAsync(session, contents[i], $"chunked-{i}");
        }

        var pushes = await bobSocket.ReceivePushesAsync(contents.Length);
        Assert.Equal(contents, pushes.Select(p => p.Content));
        Assert.Equal(Enumerable.Range(1, contents.Length).Select(i => (long)i), pushes.Select(p => p.Seq));
    }

    [Fact]
    public async Task A_text_frame_on_a_protobuf_connection_closes_it_with_1003()
    {
        await using var socket = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(Names.User("alice")));

        await socket.SendRawAsync(Encoding.UTF8.GetBytes("""{"ping":{}}"""), WebSocketMessageType.Text);
        var (status, reason) = await socket.WaitForCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.Equal("resonance.v1.proto takes binary frames only", reason);
    }

    [Fact]
    public async Task A_text_frame_that_is_not_UTF8_ends_a_json_connection_with_1007_or_a_reset()
    {
        await using var socket = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(Names.User("alice")), Subprotocols.Json);

        // A text frame must be UTF-8 (RFC 6455 8.1): the WebSocket layer refuses it before any decoding. It sends
        // 1007 and drops the connection at once (.NET's ManagedWebSocket, not our code), so the client's close reply can
        // meet a closed socket whose reset overtakes the close frame: the client sees 1007 or a reset, never an answer.
        await socket.SendRawAsync([(byte)'{', 0xff, 0xfe, (byte)'}'], WebSocketMessageType.Text);
        WebSocketCloseStatus? status;
        try
        {
            (status, _) = await socket.WaitForCloseAsync();
        }
        catch (WebSocketException)
        {
            status = null; // reset before the close frame was read
        }

        Assert.True(status is null or WebSocketCloseStatus.InvalidPayloadData, $"closed with {status}");
        Assert.NotEqual(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task An_unknown_subprotocol_is_refused_with_a_problem()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("mqtt");
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Server.WebSocketAddress, CancellationToken.None));

        Assert.Contains("'400'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sync_request_id_is_echoed_in_its_result_and_in_its_error()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        await using var socket = await TestSocket.ConnectAsync(Server, token);

        await socket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = session, RequestId = "r-1" } });
        var result = (await socket.ReceiveAsync()).SyncResult;
        await socket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = "g_missing", RequestId = "r-2" } });
        var error = (await socket.ReceiveAsync()).Error;

        Assert.Equal(("r-1", session), (result.RequestId, result.SessionId));
        Assert.Equal(("r-2", ErrorCodes.SessionNotFound), (error.RequestId, error.Code));
        Assert.Equal(64 * 1024, socket.Welcome.MaxFrameBytes);
    }

    [Fact]
    public async Task A_barrage_of_random_frames_in_both_encodings_never_takes_the_server_down()
    {
        var token = await Server.GetTokenAsync(Names.User("fuzzer"));
        var random = new Random(20261123);
        for (var round = 0; round < 20; round++)
        {
            var json = round % 2 == 1;
            await using var socket = await TestSocket.ConnectAsync(Server, token, json ? Subprotocols.Json : Subprotocols.Protobuf);
            for (var i = 0; i < 25; i++)
            {
                var frame = new byte[random.Next(0, 2048)];
                random.NextBytes(frame);
                var bytes = json ? Encoding.UTF8.GetBytes("{\"send\":" + Convert.ToBase64String(frame) + "}") : frame;
                await socket.SendRawAsync(bytes, json ? WebSocketMessageType.Text : WebSocketMessageType.Binary);
            }

            // The connection still answers after the barrage.
            await socket.SendAsync(new WsPacket { Ping = new Ping() });
            await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Pong);
        }

        await using var healthy = await TestSocket.ConnectAsync(Server, token);
        await healthy.SendAsync(new WsPacket { Ping = new Ping() });
        Assert.Equal(WsPacket.BodyOneofCase.Pong, (await healthy.ReceiveAsync()).BodyCase);
        Assert.True(Server.GetRequiredService<Gateway.GatewayCounters>().BadPackets >= 250);
    }
}
