using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>
/// One WebSocket to the gateway: the caller runs the read side, a single write loop owns the send
/// side (ClientWebSocket allows one send at a time), fed by an unbounded queue so that writers
/// never wait and packets leave in the order they were queued.
/// </summary>
internal sealed class ClientSocket : IAsyncDisposable
{
    private const int ReceiveChunkBytes = 16 * 1024;

    private static readonly WsPacket PingPacket = new() { Ping = new Ping() };

    private readonly ClientWebSocket _socket;
    private readonly WireEncoding _encoding;
    private readonly TimeProvider _time;
    private readonly TimeSpan _closeTimeout;
    private readonly Channel<WsPacket> _outbound = Channel.CreateUnbounded<WsPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ArrayBufferWriter<byte> _received = new(ReceiveChunkBytes);
    private readonly Task _writing;
    private long _lastReceivedTimestamp;
    private ITimer? _heartbeat;
    private TimeSpan _serverTimeout;
    private Exception? _abortReason;

    private ClientSocket(ClientWebSocket socket, WireEncoding encoding, TimeProvider time, TimeSpan closeTimeout)
    {
        _socket = socket;
        _encoding = encoding;
        _time = time;
        _closeTimeout = closeTimeout;
        _lastReceivedTimestamp = time.GetTimestamp();
        _writing = WriteLoopAsync();
    }

    public int? CloseStatus => (int?)_socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Why this side aborted the socket (e.g. the server went silent), when it did.</summary>
    public Exception? AbortReason => Volatile.Read(ref _abortReason);

    private WebSocketMessageType MessageType => _encoding == WireEncoding.Protobuf ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

    public static async Task<ClientSocket> ConnectAsync(Uri endpoint, string token, ResonanceClientOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var subprotocol = options.Encoding == WireEncoding.Protobuf ? Subprotocols.Protobuf : Subprotocols.Json;
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(subprotocol);
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            options.ConfigureWebSocket?.Invoke(socket.Options);
            await socket.ConnectAsync(endpoint, cancellationToken);
            if (socket.SubProtocol != subprotocol)
            {
                // Without the subprotocol the gateway would speak JSON to a client expecting protobuf.
                throw new WebSocketException(WebSocketError.UnsupportedProtocol, $"The server did not accept subprotocol {subprotocol}.");
            }

            return new ClientSocket(socket, options.Encoding, time, options.CloseTimeout);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The size of <paramref name="packet"/>'s frame in the given encoding.</summary>
    public static int FrameBytes(WsPacket packet, WireEncoding encoding) => encoding == WireEncoding.Protobuf
        ? packet.CalculateSize()
        : Encoding.UTF8.GetByteCount(ProtobufJson.Formatter.Format(packet));

    /// <summary>Queues a packet; false once the socket is closing.</summary>
    public bool TryWrite(WsPacket packet) => _outbound.Writer.TryWrite(packet);

    /// <summary>
    /// The next packet, or null when the server closed the socket. A frame that is not a WsPacket
    /// throws <see cref="InvalidDataException"/> and leaves the socket usable.
    /// </summary>
    public async Task<WsPacket?> ReceiveAsync(CancellationToken cancellationToken)
    {
        _received.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_received.GetMemory(ReceiveChunkBytes), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            _received.Advance(result.Count);
            if (result.EndOfMessage)
            {
                break;
            }
        }

        Interlocked.Exchange(ref _lastReceivedTimestamp, _time.GetTimestamp());
        try
        {
            return _encoding == WireEncoding.Protobuf
                ? WsPacket.Parser.ParseFrom(_received.WrittenSpan)
                : ProtobufJson.Parser.Parse<WsPacket>(Encoding.UTF8.GetString(_received.WrittenSpan));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"The server sent a frame that is not a WsPacket: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// How long the server may stay silent before the connection is taken as dead: <paramref name="serverTimeout"/>,
    /// but at least two intervals plus half of one. Silence is measured from the last frame received, which
    /// at a tick is up to one interval old on a healthy connection (the pong of the previous ping), so a
    /// timeout at or below the interval would drop every connection at its next beat.
    /// </summary>
    public static TimeSpan SilenceTimeout(TimeSpan interval, TimeSpan serverTimeout)
    {
        var floor = (interval * 2) + (interval / 2);
        return floor > serverTimeout ? floor : serverTimeout;
    }

    /// <summary>
    /// Pings every <paramref name="interval"/>; a server that sent nothing for <paramref name="serverTimeout"/>
    /// by a tick is taken as gone and the socket is aborted, which ends the read side.
    /// </summary>
    public void StartHeartbeat(TimeSpan interval, TimeSpan serverTimeout)
    {
        _serverTimeout = serverTimeout;
        _heartbeat = _time.CreateTimer(static state => ((ClientSocket)state!).Beat(), this, interval, interval);
    }

    /// <summary>Sends a close frame after the queued packets; the read side then sees the server's close.</summary>
    public void BeginClose() => _outbound.Writer.TryComplete();

    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        _heartbeat?.Dispose();
        BeginClose();
        try
        {
            await _writing.WaitAsync(_closeTimeout, _time);
        }
        catch (TimeoutException)
        {
            _socket.Abort();
        }

        _socket.Dispose();
    }

    private void Beat()
    {
        if (_time.GetElapsedTime(Interlocked.Read(ref _lastReceivedTimestamp)) > _serverTimeout)
        {
            Volatile.Write(ref _abortReason, new TimeoutException($"Nothing arrived from the server for {_serverTimeout.TotalSeconds:0.###} s."));
            _socket.Abort();
            return;
        }

        TryWrite(PingPacket);
    }

    private async Task WriteLoopAsync()
    {
        // Start on the thread pool so the constructor never runs socket I/O.
        await Task.Yield();
        try
        {
            var reader = _outbound.Reader;
            while (await reader.WaitToReadAsync())
            {
                while (reader.TryRead(out var packet))
                {
                    var bytes = _encoding == WireEncoding.Protobuf
                        ? packet.ToByteArray()
                        : Encoding.UTF8.GetBytes(ProtobufJson.Formatter.Format(packet));
                    await _socket.SendAsync(bytes, MessageType, endOfMessage: true, CancellationToken.None);
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A failed write leaves the stream in an unknown state: abort so the read side ends and the client reconnects.
            _socket.Abort();
        }
    }
}
