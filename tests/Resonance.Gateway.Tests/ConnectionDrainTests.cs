using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

/// <summary>
/// A drain close (shutdown, idle, token expiry) while a command is in flight: the command's reply is written
/// before the close frame, and no frame after it is taken. Found by the SIGTERM test: the host stored sends whose
/// acks it then dropped, because the close shut the outbound queue under the command.
/// </summary>
public sealed class ConnectionDrainTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_drain_close_writes_the_reply_of_the_command_in_flight_before_the_close_frame_and_takes_no_further_frame()
    {
        var (server, client) = await LoopbackPairAsync();
        using (server)
        using (client)
        {
            var connection = new ClientConnection("c1", "alice", FrameEncoding.Protobuf, server, new GatewayOptions(), new GatewayCounters(), new FakeTimeProvider());
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var handled = new List<byte>();
            var running = connection.RunAsync(async (c, frame) =>
            {
                handled.Add(frame.Span[0]);
                started.TrySetResult();
                await release.Task;
                c.TryEnqueue(new byte[] { (byte)(frame.Span[0] + 100) });
            });

            await client.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            await client.SendAsync(new byte[] { 2 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            await started.Task.WaitAsync(Timeout);
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect", drain: true);
            release.SetResult();

            var buffer = new byte[16];
            using var deadline = new CancellationTokenSource(Timeout);
            var reply = await client.ReceiveAsync(buffer, deadline.Token);
            var replyByte = buffer[0];
            var close = await client.ReceiveAsync(buffer, deadline.Token);
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, deadline.Token);
            await running.WaitAsync(Timeout);

            Assert.Equal((WebSocketMessageType.Binary, 1, (byte)101), (reply.MessageType, reply.Count, replyByte));
            Assert.Equal((WebSocketMessageType.Close, WebSocketCloseStatus.EndpointUnavailable), (close.MessageType, client.CloseStatus));
            Assert.Equal([(byte)1], handled);
        }
    }

    [Fact]
    public async Task A_drain_close_waits_for_the_acks_of_every_batched_send_before_the_close_frame()
    {
        var (server, client) = await LoopbackPairAsync();
        using (server)
        using (client)
        {
            var options = new GatewayOptions { ConnectionSendRate = 0, UserSendRate = 0 };
            var logic = new GatedLogic();
            using var limits = new SendRateLimiter(Options.Create(options));
            var handler = new PacketHandler(logic, limits, new GatewayCounters(), Options.Create(options), new FakeTimeProvider(), NullLogger<PacketHandler>.Instance);
            var connection = new ClientConnection("c1", "alice", FrameEncoding.Protobuf, server, options, new GatewayCounters(), new FakeTimeProvider());
            using var handled = new SemaphoreSlim(0);
            var running = connection.RunAsync(async (c, frame) =>
            {
                await handler.HandleAsync(c, frame);
                handled.Release();
            });

            foreach (var id in new[] { "m1", "m2", "m3" })
            {
                await client.SendAsync(SendFrame(id), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                await handled.WaitAsync(Timeout); // taken: m1 is with logic, m2 and m3 wait for the next batch
            }

            await logic.CalledAsync();
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect", drain: true);
            logic.ReleaseOne();
            await logic.CalledAsync();
            logic.ReleaseOne();

            var received = new List<string>();
            var buffer = new byte[256];
            using var deadline = new CancellationTokenSource(Timeout);
            while (true)
            {
                var frame = await client.ReceiveAsync(buffer, deadline.Token);
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var packet = WsPacket.Parser.ParseFrom(buffer.AsSpan(0, frame.Count));
                received.Add($"{packet.BodyCase} {packet.Ack?.ClientMsgId}");
            }

            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, deadline.Token);
            await running.WaitAsync(Timeout);

            Assert.Equal([["m1"], ["m2", "m3"]], logic.Calls);
            Assert.Equal(["Ack m1", "Ack m2", "Ack m3"], received);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.CloseStatus);
        }
    }

    private static byte[] SendFrame(string clientMsgId) =>
        PacketCodec.Encode(new WsPacket { Send = new SendCommand { SessionId = "g_1", ClientMsgId = clientMsgId, Content = "hi" } }, FrameEncoding.Protobuf);

    private static async Task<(WebSocket Server, WebSocket Client)> LoopbackPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientTcp = new TcpClient();
        var connecting = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverTcp = await listener.AcceptTcpClientAsync();
        await connecting;
        var server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        return (server, client);
    }
}
