using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts;
using Resonance.Gateway;
using Resonance.Gateway.Connections;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class ReconnectTests
{
    [Fact]
    public async Task After_the_server_drops_it_the_client_reconnects_and_delivers_what_it_missed_once_in_order()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        var gate = new TokenGate(await server.GetTokenAsync("bob"));
        await using var bob = new ResonanceClient(server.WebSocketAddress, gate.GetTokenAsync, TestClients.Fast());
        var states = new StateRecorder(bob);
        var recorder = new PushRecorder();
        using var subscription = bob.Subscribe(session, recorder.Record);
        await bob.ConnectAsync().WaitAsync(Timeouts.Default);
        await Task.WhenAll(Enumerable.Range(1, 3).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        Assert.Equal(TestClients.Seqs(1, 3), (await recorder.NextAsync(3)).Select(p => p.Seq));

        CloseConnectionsOf(server, "bob", (WebSocketCloseStatus)CloseCodes.SlowConsumer);
        var dropped = await states.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal(CloseCodes.SlowConsumer, dropped.CloseStatus);

        // Sent while bob is away: the reconnect is held at the token provider until these are stored.
        await Task.WhenAll(Enumerable.Range(4, 7).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        gate.Open();
        await states.WaitForAsync(ConnectionState.Connected);
        var missed = await recorder.NextAsync(7);

        Assert.Equal(TestClients.Seqs(4, 10), missed.Select(p => p.Seq));
        Assert.Equal(Enumerable.Range(4, 7).Select(i => $"m{i}"), missed.Select(p => p.Content));
        Assert.Equal(2, gate.Calls);

        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(11, Assert.Single(await recorder.NextAsync(1)).Seq);
    }

    [Fact]
    public async Task Sends_issued_while_disconnected_go_out_after_the_reconnect_in_order()
    {
        await using var server = await StandaloneServer.StartAsync();
        var gate = new TokenGate(await server.GetTokenAsync("alice"));
        var session = await server.CreateSessionAsync(await server.GetTokenAsync("alice"), SessionKinds.Group, "bob");
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"));
        var recorder = new PushRecorder();
        using var subscription = bob.Subscribe(session, recorder.Record);
        await using var alice = new ResonanceClient(server.WebSocketAddress, gate.GetTokenAsync, TestClients.Fast());
        var states = new StateRecorder(alice);
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);
        await alice.SendAsync(session, "m1").WaitAsync(Timeouts.Default);

        CloseConnectionsOf(server, "alice", (WebSocketCloseStatus)CloseCodes.SlowConsumer);
        await states.WaitForAsync(ConnectionState.Disconnected);
        var sends = Enumerable.Range(2, 5).Select(i => alice.SendAsync(session, $"m{i}")).ToList();
        gate.Open();
        var acks = await Task.WhenAll(sends).WaitAsync(Timeouts.Default);

        Assert.Equal(TestClients.Seqs(2, 6), acks.Select(a => a.Seq));
        var pushes = await recorder.NextAsync(6);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"m{i}"), pushes.Select(p => p.Content));
        Assert.Equal(TestClients.Seqs(1, 6), pushes.Select(p => p.Seq));
    }

    [Fact]
    public async Task Sends_cut_off_by_a_drop_are_stored_once_each_after_the_reconnect()
    {
        // The server stores m20, then drops alice before its ack can leave: m20 (and whatever else was in
        // flight) must be written again after the reconnect, and the server must store it only once.
        var logic = new CuttingLogicClient(cutAfterStoring: "m20");
        await using var server = await StandaloneServer.StartAsync(configure: logic.Install);
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);
        var states = new StateRecorder(alice);

        var sends = Enumerable.Range(1, 40).Select(i => alice.SendAsync(session, $"m{i}")).ToList();
        var acks = await Task.WhenAll(sends).WaitAsync(Timeouts.Default);

        var dropped = await states.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal(CloseCodes.SlowConsumer, dropped.CloseStatus);
        Assert.True(logic.Cut, "the connection was cut after m20 was stored");
        var cutOff = acks[19];
        Assert.True(logic.SendsOf(cutOff.ClientMsgId) >= 2, "m20, already stored, was sent again after the reconnect");
        Assert.Equal(TestClients.Seqs(1, 40), acks.Select(a => a.Seq));
        Assert.Equal(40, acks.Select(a => a.MsgId).Distinct().Count());
        var stored = await alice.SyncAsync(session, 0, 100).WaitAsync(Timeouts.Default);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"m{i}"), stored.Messages.Select(m => m.Content));
        Assert.Equal(40, stored.LastSeq);
    }

    [Fact]
    public async Task A_server_that_closes_right_after_the_welcome_is_retried_with_growing_delays()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var time = new FakeTimeProvider();
        var logger = new RecordingLogger();
        var options = FakeClients.Options();
        options.InitialReconnectDelay = TimeSpan.FromSeconds(1);
        options.MaxReconnectDelay = TimeSpan.FromSeconds(60);
        options.ReconnectJitter = 0;
        options.StableConnectionTime = TimeSpan.FromSeconds(10);
        await using var client = new ResonanceClient(gateway.Address, "token", options, time, logger);
        var connection = await FakeClients.ConnectAsync(client, gateway);

        // Accepted, welcomed, closed at once, three times over: the backoff must keep growing.
        var delays = new List<double>();
        for (var round = 1; round <= 3; round++)
        {
            await connection.CloseAsync();
            await Eventually.TrueAsync(() => logger.Of("WaitingToReconnect").Count == round, $"reconnect {round} was scheduled");
            delays.Add((double)logger.Of("WaitingToReconnect")[round - 1].Values["DelayMs"]!);
            var next = gateway.NextConnectionAsync();
            await FakeGatewaySyncTests.AdvanceUntilAsync(time, next, $"reconnect {round} happened");
            connection = await next;
            await connection.WelcomeAsync();
        }

        Assert.Equal([1_000d, 2_000d, 4_000d], delays);

        // A connection that stays up for StableConnectionTime starts the backoff over.
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected, "the fourth connection is up");
        time.Advance(TimeSpan.FromSeconds(10));
        await connection.CloseAsync();
        await Eventually.TrueAsync(() => logger.Of("WaitingToReconnect").Count == 4, "reconnect 4 was scheduled");
        Assert.Equal(1_000d, (double)logger.Of("WaitingToReconnect")[3].Values["DelayMs"]!);
    }

    [Fact]
    public async Task Dispose_while_connecting_leaves_the_client_disposed_and_the_socket_closed()
    {
        await using var server = await StandaloneServer.StartAsync();
        var registry = server.GetRequiredService<ConnectionRegistry>();
        var client = new ResonanceClient(server.WebSocketAddress, await server.GetTokenAsync("alice"), TestClients.Fast());

        // The socket is open and welcomed when DisposeAsync runs to completion, just before activation.
        client.BeforeActivateForTesting = () => client.DisposeAsync().AsTask();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.ConnectAsync().WaitAsync(Timeouts.Default));
        Assert.Equal(ConnectionState.Disconnected, client.State);
        await Eventually.TrueAsync(() => registry.ConnectionCount == 0, "the server saw the socket close");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync("s", "late"));
    }

    [Fact]
    public async Task An_idle_timeout_close_is_followed_by_a_reconnect()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Gateway:IdleTimeout"] = "00:00:02", ["Gateway:HeartbeatInterval"] = "00:00:01" });
        var token = await server.GetTokenAsync("alice");
        var options = TestClients.Fast();
        options.HeartbeatInterval = Timeout.InfiniteTimeSpan;
        await using var alice = new ResonanceClient(server.WebSocketAddress, token, options);
        var states = new StateRecorder(alice);
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);
        var firstConnection = alice.Welcome!.ConnectionId;

        var closed = await states.WaitForAsync(ConnectionState.Disconnected);
        await states.WaitForAsync(ConnectionState.Connected);

        Assert.Equal(CloseCodes.IdleTimeout, closed.CloseStatus);
        Assert.NotEqual(firstConnection, alice.Welcome!.ConnectionId);
    }

    [Fact]
    public async Task A_token_expiry_close_is_followed_by_a_reconnect_with_a_fresh_token_from_the_provider()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Auth:DevTokenLifetime"] = "00:00:02", ["Auth:ClockSkew"] = "00:00:00" });
        var session = await server.CreateSessionAsync(await server.GetTokenAsync("alice"), SessionKinds.Group, "bob");
        var tokens = new List<string>();
        await using var alice = new ResonanceClient(server.WebSocketAddress, async _ =>
        {
            var token = await server.GetTokenAsync("alice");
            lock (tokens)
            {
                tokens.Add(token);
            }

            return token;
        }, TestClients.Fast());
        var states = new StateRecorder(alice);
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);

        var closed = await states.WaitForAsync(ConnectionState.Disconnected);
        await states.WaitForAsync(ConnectionState.Connected);
        var ack = await alice.SendAsync(session, "after the expiry").WaitAsync(Timeouts.Default);

        Assert.Equal(CloseCodes.TokenExpired, closed.CloseStatus);
        Assert.Null(closed.Exception);
        lock (tokens)
        {
            Assert.True(tokens.Count >= 2, $"{tokens.Count} tokens were asked for");
            Assert.NotEqual(tokens[0], tokens[1]);
        }

        Assert.Equal(1, ack.Seq);
    }

    [Fact]
    public async Task Dispose_closes_the_socket_with_a_close_handshake()
    {
        await using var server = await StandaloneServer.StartAsync();
        var registry = server.GetRequiredService<ConnectionRegistry>();
        var alice = await TestClients.ConnectAsync(server, await server.GetTokenAsync("alice"));
        var states = new StateRecorder(alice);
        Assert.Equal(1, registry.ConnectionCount);

        await alice.DisposeAsync();

        var closed = await states.WaitForAsync(ConnectionState.Disconnected);
        Assert.Equal((int)WebSocketCloseStatus.NormalClosure, closed.CloseStatus);
        Assert.Null(closed.Exception);
        await Eventually.TrueAsync(() => registry.ConnectionCount == 0, "the server dropped the connection");
        Assert.Equal(0, server.GetRequiredService<GatewayCounters>().IdleCloses);
    }

    private static void CloseConnectionsOf(StandaloneServer server, string username, WebSocketCloseStatus status, bool drain = true)
    {
        var connections = server.GetRequiredService<ConnectionRegistry>().All.Where(c => c.Username == username).ToList();
        Assert.NotEmpty(connections);
        foreach (var connection in connections)
        {
            connection.Close(status, "closed by the test", drain);
        }
    }
}
