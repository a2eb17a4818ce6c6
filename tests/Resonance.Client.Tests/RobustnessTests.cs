using System.Net.WebSockets;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.Client.Tests;

/// <summary>
/// Code the client calls can fail where it does not expect it; a logger that throws on a chosen event
/// stands for any such failure. The client must log it and carry on, never stop silently.
/// </summary>
public sealed class RobustnessTests
{
    private const string Session = "s-1";

    [Fact]
    public async Task A_packet_whose_handling_fails_does_not_end_the_connection()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var logger = new RecordingLogger(throwOn: "UnexpectedPacket");
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options(), logger: logger);
        var recorder = new PushRecorder();
        using var subscription = client.Subscribe(Session, recorder.Record);
        var connection = await FakeClients.ConnectAsync(client, gateway);

        // Servers do not send pings: handling this one logs, and the logger throws.
        await connection.SendAsync(new WsPacket { Ping = new Ping() });
        await connection.PushAsync(Session, 1);

        Assert.Equal(1, Assert.Single(await recorder.NextAsync(1)).Seq);
        Assert.Single(logger.Of("PacketFailed"));
        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal(1, gateway.Connections);
    }

    [Fact]
    public async Task A_failure_while_tearing_a_connection_down_does_not_stop_the_reconnects()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var logger = new RecordingLogger(throwOn: "Disconnected");
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options(), logger: logger);
        var states = new StateRecorder(client);
        var first = await FakeClients.ConnectAsync(client, gateway);

        await first.CloseAsync(WebSocketCloseStatus.EndpointUnavailable);
        var second = await gateway.WelcomeNextAsync();
        await states.WaitForAsync(ConnectionState.Disconnected);
        await states.WaitForAsync(ConnectionState.Connected);

        Assert.Equal(2, second.Number);
        Assert.Single(logger.Of("RunFailed"));
        Assert.Equal("fake-2", client.Welcome!.ConnectionId);
    }

    [Fact]
    public async Task A_sync_loop_that_fails_lets_the_next_gap_start_another()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var logger = new RecordingLogger(throwOn: "GapUnfillable");
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options(), logger: logger);
        var recorder = new PushRecorder();
        using var subscription = client.Subscribe(Session, recorder.Record);
        var connection = await FakeClients.ConnectAsync(client, gateway);
        await connection.PushAsync(Session, 1);
        await connection.PushAsync(Session, 3);

        // An empty answer makes the loop give up on the gap, and logging that throws inside the loop.
        var first = await connection.ReceiveSyncAsync();
        await connection.SendAsync(new WsPacket { SyncResult = FakeGatewaySyncTests.Result(first) });
        await Eventually.TrueAsync(() => logger.Of("SyncLoopFailed").Count == 1, "the failed loop was logged");

        // The session is not stuck in "syncing": the next push out of order starts a new sync.
        await connection.PushAsync(Session, 4);
        var second = await connection.ReceiveSyncAsync();
        await connection.SendAsync(new WsPacket { SyncResult = FakeGatewaySyncTests.Result(second, 2) });

        Assert.Equal(1, second.AfterSeq);
        Assert.Equal(TestClients.Seqs(1, 4), (await recorder.NextAsync(4)).Select(p => p.Seq));
    }
}
