using System.Net.WebSockets;
using System.Threading.Channels;

namespace Resonance.Gateway.Connections;

/// <summary>
/// One authenticated WebSocket: a read loop, a write loop and an outbound queue between them,
/// bounded in frames and in bytes. Anything may queue a frame; only the write loop touches the
/// socket's send side. A full queue means the client reads too slowly: it is closed, never
/// buffered without bound.
/// </summary>
public sealed class ClientConnection
{
    // The longest due time a timer takes (about 49 days).
    private static readonly TimeSpan MaxTimerDue = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly WebSocket? _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound;
    private readonly GatewayCounters _counters;
    private readonly TimeProvider _time;
    private readonly TimeSpan _closeTimeout;
    private readonly int _maxFrameBytes;
    private readonly long _maxQueuedBytes;
    private CloseRequest? _close;
    private long _lastReceivedTimestamp;
    private ITimer? _abortTimer;
    private ITimer? _expiryTimer;
    private int _finished;

    // Commands taken and not yet answered: the frame the read loop is handling and the sends queued in its send
    // pipeline. A drain close waits for them to reach 0, so a send stored during shutdown gets its ack.
    private int _inCommand;

    // Bytes of the frames queued and of the one being written.
    private long _queuedBytes;

    public ClientConnection(
        string id,
        string username,
        FrameEncoding encoding,
        WebSocket? socket,
        GatewayOptions options,
        GatewayCounters counters,
        TimeProvider time)
    {
        Id = id;
        Username = username;
        Encoding = encoding;
        _socket = socket;
        _counters = counters;
        _time = time;
        _closeTimeout = options.CloseTimeout;
        _maxFrameBytes = options.MaxFrameBytes;
        _maxQueuedBytes = options.OutboundQueueBytes;
        _outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.OutboundQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        ConnectedAt = time.GetUtcNow();
        _lastReceivedTimestamp = time.GetTimestamp();
    }

    public string Id { get; }

    public string Username { get; }

    public FrameEncoding Encoding { get; }

    public DateTimeOffset ConnectedAt { get; }

    public int QueuedFrames => _outbound.Reader.Count;

    /// <summary>Bytes of the frames waiting to be written, the one being written included.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>
    /// Half the byte budget is taken: too much to add a sync's answer (up to a page of messages) to, since a
    /// client that asks and does not read would otherwise have the gateway hold page after page for it.
    /// </summary>
    public bool IsBacklogged => QueuedBytes >= _maxQueuedBytes / 2;

    public bool IsClosing => Volatile.Read(ref _close) is not null;

    /// <summary>This connection's sends on their way to logic; made by the packet handler on the first send. Read loop only.</summary>
    internal SendPipeline? Sends { get; set; }

    /// <summary>Time since the client last sent a frame.</summary>
    public TimeSpan IdleFor => _time.GetElapsedTime(Interlocked.Read(ref _lastReceivedTimestamp));

    private WebSocketMessageType MessageType => Encoding == FrameEncoding.Protobuf ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

    /// <summary>
    /// Queues a frame; when the queue is full, in frames or in bytes, the connection is closed as a slow consumer.
    /// Only the frame's length is counted: a frame shared by many connections stays one array.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> frame)
    {
        if (TryReserve(frame.Length))
        {
            if (_outbound.Writer.TryWrite(frame))
            {
                return true;
            }

            Interlocked.Add(ref _queuedBytes, -frame.Length);
        }

        if (!IsClosing)
        {
            _counters.SlowConsumerClosed();
            Close((WebSocketCloseStatus)Contracts.CloseCodes.SlowConsumer, "slow consumer: outbound queue full; reconnect and sync", drain: false);
        }

        return false;
    }

    /// <summary>
    /// Closes with a code and reason. With <paramref name="drain"/> the queued frames are written
    /// first, and so is the reply of a command in flight (a send being stored gets its ack); no
    /// frame after it is taken. A client that does not take the close frame within the close
    /// timeout is aborted.
    /// </summary>
    public void Close(WebSocketCloseStatus status, string reason, bool drain)
    {
        if (Interlocked.CompareExchange(ref _close, new CloseRequest(status, reason, drain), null) is not null)
        {
            return;
        }

        // Read after _close is set, as the read loop reads _close after setting _inCommand: one of the two
        // sees the other, so the queue is completed here or when the command is done (or both; that is harmless).
        if (!drain || Volatile.Read(ref _inCommand) == 0)
        {
            _outbound.Writer.TryComplete();
        }

        var abort = _time.CreateTimer(static state => ((WebSocket?)state)?.Abort(), _socket, _closeTimeout, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _abortTimer, abort);
        if (Volatile.Read(ref _finished) == 1)
        {
            // The connection ended while this close was being requested: nothing left to abort.
            abort.Dispose();
        }
    }

    /// <summary>
    /// Closes the connection with 4102 (after the frames queued before it) once <paramref name="expiresAt"/> has
    /// passed: the token it was opened with no longer speaks for the client. Call before <see cref="RunAsync"/>.
    /// </summary>
    public void CloseWhenTokenExpires(DateTimeOffset expiresAt)
    {
        var due = expiresAt - _time.GetUtcNow();
        if (due > MaxTimerDue)
        {
            // Outlives any connection (and a timer's range): nothing to arm.
            return;
        }

        _expiryTimer = _time.CreateTimer(static state => ((ClientConnection)state!).OnTokenExpired(), this,
            due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs both loops until the socket is closed; each received frame goes to <paramref name="onFrame"/>, one at a time.</summary>
    public async Task RunAsync(Func<ClientConnection, ReadOnlyMemory<byte>, Task> onFrame)
    {
        ArgumentNullException.ThrowIfNull(_socket);
        var writing = WriteLoopAsync(_socket);
        try
        {
            await ReadLoopAsync(_socket, onFrame);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client vanished or was aborted; the close below ends the write loop too.
        }

        Close(WebSocketCloseStatus.NormalClosure, string.Empty, drain: false);
        await writing;
        Interlocked.Exchange(ref _finished, 1);
        Volatile.Read(ref _abortTimer)?.Dispose();
        _expiryTimer?.Dispose();
    }

    /// <summary>A command was taken whose reply a drain close must wait for; each is ended by <see cref="EndCommands"/>.</summary>
    internal void BeginCommand() => Interlocked.Increment(ref _inCommand);

    /// <summary>Replies of <paramref name="count"/> commands are queued: a drain close waiting for the last of them goes on.</summary>
    internal void EndCommands(int count)
    {
        // Read _close after the count, as Close reads the count after setting _close: one of the two completes the queue.
        if (Interlocked.Add(ref _inCommand, -count) == 0 && IsClosing)
        {
            _outbound.Writer.TryComplete();
        }
    }

    internal bool TryTakeQueued(out ReadOnlyMemory<byte> frame)
    {
        if (!_outbound.Reader.TryRead(out frame))
        {
            return false;
        }

        Interlocked.Add(ref _queuedBytes, -frame.Length);
        return true;
    }

    private bool TryReserve(int bytes)
    {
        var queued = Interlocked.Read(ref _queuedBytes);
        while (true)
        {
            // A frame larger than the whole budget still goes through an empty queue, or it could never be sent.
            if (queued > 0 && queued + bytes > _maxQueuedBytes)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _queuedBytes, queued + bytes, queued);
            if (seen == queued)
            {
                return true;
            }

            queued = seen;
        }
    }

    private void OnTokenExpired()
    {
        if (!IsClosing)
        {
            _counters.TokenExpiryClosed();
            Close((WebSocketCloseStatus)Contracts.CloseCodes.TokenExpired, "token expired; reconnect with a fresh token", drain: true);
        }
    }

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason, bool Drain);

    private async Task ReadLoopAsync(WebSocket socket, Func<ClientConnection, ReadOnlyMemory<byte>, Task> onFrame)
    {
        var reader = new FrameReader(socket, MessageType, _maxFrameBytes);
        Func<ReadOnlyMemory<byte>, Task> handle = frame => HandleFrameAsync(frame, onFrame);
        while (!IsClosing)
        {
            switch (await reader.ReadNextAsync(handle))
            {
                case FrameReadOutcome.Closed:
                    return;
                case FrameReadOutcome.WrongType:
                    Close(WebSocketCloseStatus.InvalidMessageType, Encoding == FrameEncoding.Protobuf
                        ? "resonance.v1.proto takes binary frames only"
                        : "resonance.v1.json takes text frames only", drain: true);
                    return;
                case FrameReadOutcome.TooBig:
                    Close(WebSocketCloseStatus.MessageTooBig, $"frames are limited to {_maxFrameBytes} bytes", drain: true);
                    return;
            }
        }
    }

    private async Task HandleFrameAsync(ReadOnlyMemory<byte> frame, Func<ClientConnection, ReadOnlyMemory<byte>, Task> onFrame)
    {
        Interlocked.Exchange(ref _lastReceivedTimestamp, _time.GetTimestamp());
        _counters.FrameReceived();
        BeginCommand();
        try
        {
            // Closed while this frame came in: it is not taken (a send in it is not stored).
            if (!IsClosing)
            {
                await onFrame(this, frame);
            }
        }
        finally
        {
            EndCommands(1);
        }
    }

    private async Task WriteLoopAsync(WebSocket socket)
    {
        try
        {
            var reader = _outbound.Reader;
            while (await reader.WaitToReadAsync() && Volatile.Read(ref _close) is not { Drain: false })
            {
                while (Volatile.Read(ref _close) is not { Drain: false } && reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, MessageType, endOfMessage: true, CancellationToken.None);
                    Interlocked.Add(ref _queuedBytes, -frame.Length);
                    _counters.FrameSent();
                }
            }

            // The queue completes only through Close, so the request is set by now.
            var close = Volatile.Read(ref _close)!;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(close.Status, close.Reason, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted, or the client went away mid-write: nothing left to tell it.
        }
    }
}
