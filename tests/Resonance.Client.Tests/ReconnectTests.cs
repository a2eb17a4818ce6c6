using System.Net.WebSockets;
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
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);

        // Some of these reach the server before the drop and some after: whichever they are, each
        // is stored once, because re-sends after the reconnect carry the same client message id.
        var sends = Enumerable.Range(1, 40).Select(i => alice.SendAsync(session, $"m{i}")).ToList();
        CloseConnectionsOf(server, "alice", (WebSocketCloseStatus)CloseCodes.SlowConsumer, drain: false);
        var acks = await Task.WhenAll(sends).WaitAsync(Timeouts.Default);

        Assert.Equal(TestClients.Seqs(1, 40), acks.Select(a => a.Seq));
        var stored = await alice.SyncAsync(session, 0, 100).WaitAsync(Timeouts.Default);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => $"m{i}"), stored.Messages.Select(m => m.Content));
        Assert.Equal(40, stored.LastSeq);
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
