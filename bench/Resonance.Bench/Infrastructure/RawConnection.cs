using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// A bare protobuf WebSocket to the gateway, for precise timing: every received packet is handed
/// over with the <see cref="Stopwatch"/> timestamp taken as its frame completed, with no client
/// library queue in between. One sync at a time; pings on request.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private static readonly byte[] PingFrame = new WsPacket { Ping = new Ping() }.ToByteArray();

    private readonly ClientWebSocket _socket;
    private readonly Action<WsPacket, long>? _onPacket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource<SyncResult>? _pendingSync;
    private Task? _reading;
    private Timer? _heartbeat;

    private RawConnection(ClientWebSocket socket, Action<WsPacket, long>? onPacket)
    {
        _socket = socket;
        _onPacket = onPacket;
    }

    /// <summary>When the WebSocket upgrade completed (Stopwatch timestamp).</summary>
    public long UpgradedAt { get; private set; }

    /// <summary>When the welcome packet arrived (Stopwatch timestamp).</summary>
    public long WelcomedAt { get; private set; }

    public Welcome? Welcome { get; private set; }

    /// <summary>Completes when the read loop ends: the server closed the socket, it broke, or it was disposed.</summary>
    public Task Completion => _reading ?? Task.CompletedTask;

    /// <summary>Opens the socket and waits for the welcome; then packets flow to <paramref name="onPacket"/> on the read loop.</summary>
    public static async Task<RawConnection> ConnectAsync(Uri endpoint, string token, Action<WsPacket, long>? onPacket, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var connection = new RawConnection(socket, onPacket);
        try
        {
            socket.Options.AddSubProtocol(Subprotocols.Protobuf);
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan;
            await socket.ConnectAsync(endpoint, cancellationToken);
            connection.UpgradedAt = Stopwatch.GetTimestamp();
            var buffer = new ArrayBufferWriter<byte>(1024);
            var (first, at) = await connection.ReceiveAsync(buffer, cancellationToken);
            if (first?.Welcome is not { } welcome)
            {
                throw new WebSocketException(WebSocketError.InvalidState, $"Expected a welcome first, got {first?.BodyCase.ToString() ?? "a close"}.");
            }

            connection.WelcomedAt = at;
            connection.Welcome = welcome;
            connection._reading = connection.ReadLoopAsync(buffer);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public Task SendAsync(WsPacket packet, CancellationToken cancellationToken) => WriteAsync(packet.ToByteArray(), cancellationToken);

    /// <summary>Sends a sync and waits for its result; one sync at a time per connection.</summary>
    public async Task<SyncResult> SyncAsync(string sessionId, long afterSeq, CancellationToken cancellationToken, int limit = 1)
    {
        var pending = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _pendingSync, pending, null) is not null)
        {
            throw new InvalidOperationException("A sync is already pending on this connection.");
        }

        await SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = sessionId, AfterSeq = afterSeq, Limit = limit } }, cancellationToken);
        return await pending.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Pings every <paramref name="interval"/> so the gateway's idle timeout never closes a listener.</summary>
    public void StartHeartbeat(TimeSpan interval) =>
        _heartbeat = new Timer(static state => _ = ((RawConnection)state!).PingAsync(), this, interval, interval);

    /// <summary>Drops the connection as a lost network would: no close frame, the TCP connection reset.</summary>
    public void Drop() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync();
        }

        await WebSocketClosing.CloseAsync(_socket, _sendGate, _stopping, _reading);
    }

    private async Task PingAsync()
    {
        try
        {
            await WriteAsync(PingFrame, _stopping.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The read loop sees the broken socket; a missed ping only matters to the idle timeout.
        }
    }

    private async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task<(WsPacket? Packet, long ReceivedAt)> ReceiveAsync(ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, Stopwatch.GetTimestamp());
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                var at = Stopwatch.GetTimestamp();
                return (WsPacket.Parser.ParseFrom(buffer.WrittenSpan), at);
            }
        }
    }

    private async Task ReadLoopAsync(ArrayBufferWriter<byte> buffer)
    {
        try
        {
            while (true)
            {
                var (packet, at) = await ReceiveAsync(buffer, _stopping.Token);
                if (packet is null)
                {
                    return;
                }

                if (packet.BodyCase == WsPacket.BodyOneofCase.SyncResult)
                {
                    Interlocked.Exchange(ref _pendingSync, null)?.TrySetResult(packet.SyncResult);
                }
                else if (packet.BodyCase == WsPacket.BodyOneofCase.Error && packet.Error.ClientMsgId.Length == 0)
                {
                    Interlocked.Exchange(ref _pendingSync, null)?.TrySetException(new ResonanceException(packet.Error.Code, packet.Error.Message));
                }

                _onPacket?.Invoke(packet, at);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidProtocolBufferException)
        {
            Interlocked.Exchange(ref _pendingSync, null)?.TrySetException(ex);
        }
        finally
        {
            Interlocked.Exchange(ref _pendingSync, null)?.TrySetException(new WebSocketException("The connection closed."));
        }
    }
}
