using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Resonance.Client.Internal;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Client;

/// <summary>
/// A connection to a Resonance gateway that survives drops: it reconnects with backoff, re-sends
/// unacknowledged sends (the server deduplicates them by client message id), and syncs every
/// tracked session so that subscribers see each session's messages in seq order, each once.
/// </summary>
/// <remarks>
/// Subscribers and <see cref="StateChanged"/> handlers run one at a time on a delivery loop of
/// the client's own, in order; a handler that blocks holds up later deliveries, not the socket.
/// </remarks>
public sealed partial class ResonanceClient : IAsyncDisposable
{
    private readonly Uri _endpoint;
    private readonly Func<CancellationToken, ValueTask<string>> _tokenProvider;
    private readonly ResonanceClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DeliveryQueue _deliveries;
    private readonly SessionTracker _sessions;
    private readonly CancellationTokenSource _disposing = new();

    // Guards everything below. Never held while calling into the session tracker or user code.
    private readonly Lock _gate = new();

    // Unanswered commands by issue order, re-sent in that order after a reconnect.
    private readonly SortedDictionary<long, PendingCommand> _pending = [];
    private readonly Dictionary<string, PendingSend> _sends = new(StringComparer.Ordinal);

    private readonly Dictionary<string, PendingSync> _syncs = new(StringComparer.Ordinal);
    private ClientSocket? _socket;
    private long _nextOrder;
    private ConnectionState _state;
    private Welcome? _welcome;
    private Task? _running;
    private bool _started;
    private volatile bool _disposed;

    // Reconnect attempts since the last connection that stayed up; only the run loop uses it.
    private int _reconnectAttempts;

    /// <param name="endpoint">The gateway's socket address, <c>ws://host/ws</c> or <c>wss://host/ws</c>.</param>
    /// <param name="tokenProvider">Called before every connect attempt, so a reconnect can present a fresh token.</param>
    public ResonanceClient(
        Uri endpoint,
        Func<CancellationToken, ValueTask<string>> tokenProvider,
        ResonanceClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        options ??= new ResonanceClientOptions();
        options.Validate();
        _endpoint = endpoint;
        _tokenProvider = tokenProvider;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _deliveries = new DeliveryQueue(change => StateChanged?.Invoke(this, change), _logger);
        _sessions = new SessionTracker(SyncAsync, _deliveries, options, _time, _logger, _disposing.Token);
    }

    /// <param name="endpoint">The gateway's socket address, <c>ws://host/ws</c> or <c>wss://host/ws</c>.</param>
    /// <param name="token">A bearer token used for every connect; use the other constructor when tokens expire.</param>
    public ResonanceClient(
        Uri endpoint,
        string token,
        ResonanceClientOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
        : this(endpoint, _ => ValueTask.FromResult(token), options, timeProvider, logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
    }

    /// <summary>Raised on the delivery loop whenever <see cref="State"/> changes.</summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    public ConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The welcome of the current (or last) connection; null before the first connect.</summary>
    public Welcome? Welcome => Volatile.Read(ref _welcome);

    /// <summary>Test seam: runs in <see cref="ConnectAsync"/> between opening the socket and activating it.</summary>
    internal Func<Task>? BeforeActivateForTesting { get; set; }

    /// <summary>
    /// Connects and returns once the server's welcome arrived. A failure of this first attempt is
    /// thrown; from then on the client reconnects by itself until it is disposed.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("The client is already connected or connecting.");
            }

            _started = true;
        }

        SetState(ConnectionState.Connecting);
        ClientSocket socket;
        Welcome welcome;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            (socket, welcome) = await OpenAsync(linked.Token);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _started = false;
            }

            SetState(ConnectionState.Disconnected, exception: ex);
            if (ex is OperationCanceledException && _disposed)
            {
                throw new ObjectDisposedException(nameof(ResonanceClient), ex);
            }

            throw;
        }

        if (BeforeActivateForTesting is { } beforeActivate)
        {
            await beforeActivate();
        }

        // Activated before returning, so the caller's next Track or send meets a connected client.
        // DisposeAsync may have run while the socket opened: then this socket must not become the client's.
        var activated = Activate(socket, welcome);
        if (activated)
        {
            lock (_gate)
            {
                activated = !_disposed;
                if (activated)
                {
                    _running = RunAsync(socket);
                }
                else
                {
                    _socket = null;
                }
            }
        }

        if (!activated)
        {
            _sessions.OnDisconnected();
            await socket.DisposeAsync();
            SetState(ConnectionState.Disconnected);
            throw new ObjectDisposedException(nameof(ResonanceClient), "The client was disposed while it connected.");
        }
    }

    /// <summary>
    /// Sends a message and completes with the server's ack once it is stored. The client message id
    /// is generated here; if the socket drops first, the send is written again after the reconnect
    /// and the server answers with the original ack. A rejection faults the task with a
    /// <see cref="ResonanceException"/> carrying the error code (e.g. <see cref="ErrorCodes.SessionNotFound"/>).
    /// Sends issued while disconnected wait for the next connection. A message too large for one frame
    /// (<see cref="ResonanceClientOptions.MaxFrameBytes"/>, or the server's smaller <see cref="Welcome.MaxFrameBytes"/>) is refused
    /// with <see cref="ErrorCodes.InvalidArgument"/>: here, or when the welcome of the connection it waited for announces the smaller limit.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting and stops re-sending; a send already written may still be stored.</param>
    public Task<SendAck> SendAsync(string sessionId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(content);
        var send = new PendingSend(
            new SendCommand
            {
                ClientMsgId = Guid.NewGuid().ToString("N"),
                SessionId = sessionId,
                Content = content,
            },
            _options.Encoding);

        // Checked again, under the gate, in IssueAsync and when a later welcome announces a smaller limit.
        if (TooLarge(send, Welcome) is { } refused)
        {
            return Task.FromException<SendAck>(refused);
        }

        return IssueAsync(send, cancellationToken);
    }

    /// <summary>
    /// Reads the messages of a session with seq greater than <paramref name="afterSeq"/>, oldest first;
    /// at most <paramref name="limit"/> (0: the server's page size). The result goes to the caller only,
    /// not to subscribers. A sync pending when the socket drops is asked again after the reconnect.
    /// </summary>
    public Task<SyncResult> SyncAsync(string sessionId, long afterSeq, int limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSeq);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return IssueAsync(new PendingSync(new SyncCommand { SessionId = sessionId, AfterSeq = afterSeq, Limit = limit, RequestId = Guid.NewGuid().ToString("N") }), cancellationToken);
    }

    /// <summary>
    /// Tells the client the application already has a session's messages up to <paramref name="lastSeq"/>
    /// (e.g. from local storage). When connected, a session newly tracked (or whose mark moves forward) is
    /// caught up at once: the messages after the mark are synced, page by page, and delivered to subscribers.
    /// When not connected, the next connect does it. On a tracked session this only ever moves the mark forward.
    /// </summary>
    public void Track(string sessionId, long lastSeq)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentOutOfRangeException.ThrowIfNegative(lastSeq);
        _sessions.Track(sessionId, lastSeq);
    }

    /// <summary>The highest seq of a session handed to subscribers; null when the session is not tracked.</summary>
    public long? GetLastSeq(string sessionId) => _sessions.GetLastSeq(sessionId);

    /// <summary>
    /// Calls <paramref name="onPush"/> with each message of one session, in seq order, each once.
    /// A session is tracked from the first message the client sees (push, ack of a send, or <see cref="Track"/>).
    /// Dispose the result to unsubscribe.
    /// </summary>
    public IDisposable Subscribe(string sessionId, Action<Push> onPush)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(onPush);
        return _deliveries.Subscribe(sessionId, onPush);
    }

    /// <summary>Calls <paramref name="onPush"/> with the messages of every session, each session in seq order, each message once.</summary>
    public IDisposable SubscribeAll(Action<Push> onPush)
    {
        ArgumentNullException.ThrowIfNull(onPush);
        return _deliveries.SubscribeAll(onPush);
    }

    /// <summary>Calls <paramref name="onBroadcast"/> with each system-wide announcement received live (broadcasts are not synced).</summary>
    public IDisposable SubscribeBroadcasts(Action<Broadcast> onBroadcast)
    {
        ArgumentNullException.ThrowIfNull(onBroadcast);
        return _deliveries.SubscribeBroadcasts(onBroadcast);
    }

    /// <summary>
    /// Closes the socket with a close handshake (aborting it after <see cref="ResonanceClientOptions.CloseTimeout"/>),
    /// stops reconnecting, and faults unanswered commands with <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        ClientSocket? socket;
        Task? running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            socket = _socket;
            running = _running;
        }

        if (socket is not null && running is not null)
        {
            socket.BeginClose();
            try
            {
                // The read loop ends when the server answers the close frame.
                await running.WaitAsync(_options.CloseTimeout, _time);
            }
            catch (TimeoutException)
            {
                socket.Abort();
            }
        }

        await _disposing.CancelAsync();
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (Exception ex)
            {
                // Disposal must finish: pending commands still need their answer below.
                Log.RunFailed(_logger, ex);
            }
        }

        List<PendingCommand> unanswered;
        lock (_gate)
        {
            unanswered = [.. _pending.Values];
            _pending.Clear();
            _sends.Clear();
            _syncs.Clear();
        }

        foreach (var command in unanswered)
        {
            command.Fail(new ObjectDisposedException(nameof(ResonanceClient), "The client was disposed before the server answered."));
        }

        SetState(ConnectionState.Disconnected);
        _deliveries.Complete();
        _disposing.Dispose();
    }

    private async Task<T> IssueAsync<T>(PendingReply<T> command, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (command is PendingSend { } oversized && TooLarge(oversized, _welcome) is { } refused)
            {
                throw refused;
            }

            command.Order = _nextOrder++;
            _pending.Add(command.Order, command);
            if (command is PendingSend send)
            {
                _sends.Add(send.ClientMsgId, send);
            }
            else if (command is PendingSync sync)
            {
                _syncs.Add(sync.RequestId, sync);
            }

            if (_socket is { } socket)
            {
                Write(socket, command);
            }
        }

        if (!cancellationToken.CanBeCanceled)
        {
            return await command.Task;
        }

        using var registration = cancellationToken.Register(static (state, token) =>
        {
            var (client, pending) = ((ResonanceClient, PendingCommand))state!;
            client.Forget(pending);
            pending.Cancel(token);
        }, (this, (PendingCommand)command));
        return await command.Task;
    }

    /// <summary>
    /// The error for a send whose frame the server would close the socket over (1009), or null. The server's
    /// own limit, once a welcome told it, wins over a larger configured one.
    /// </summary>
    private ResonanceException? TooLarge(PendingSend send, Welcome? welcome)
    {
        var maxFrameBytes = welcome is { MaxFrameBytes: > 0 } ? Math.Min(welcome.MaxFrameBytes, _options.MaxFrameBytes) : _options.MaxFrameBytes;
        return send.FrameBytes > maxFrameBytes
            ? new ResonanceException(ErrorCodes.InvalidArgument, $"The message makes a frame of {send.FrameBytes} bytes; the limit is {maxFrameBytes}.")
            : null;
    }

    /// <summary>Writes a command to the socket. Under <see cref="_gate"/>.</summary>
    private static void Write(ClientSocket socket, PendingCommand command) => socket.TryWrite(command.Packet);

    private void Forget(PendingCommand command)
    {
        lock (_gate)
        {
            _pending.Remove(command.Order);
            if (command is PendingSend send)
            {
                _sends.Remove(send.ClientMsgId);
            }
            else if (command is PendingSync sync)
            {
                _syncs.Remove(sync.RequestId);
            }
        }
    }

    private async Task<(ClientSocket Socket, Welcome Welcome)> OpenAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            Log.Connecting(_logger, _endpoint);
            var token = await _tokenProvider(linked.Token);
            var socket = await ClientSocket.ConnectAsync(_endpoint, token, _options, _time, linked.Token);
            try
            {
                var first = await socket.ReceiveAsync(linked.Token);
                if (first?.Welcome is not { } welcome)
                {
                    throw new WebSocketException(WebSocketError.InvalidState, first is null
                        ? $"The server closed the socket before its welcome: {socket.CloseStatus} {socket.CloseDescription}"
                        : $"Expected a welcome packet first, got {first.BodyCase}.");
                }

                return (socket, welcome);
            }
            catch
            {
                await socket.DisposeAsync();
                throw;
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Connecting to {_endpoint} took longer than {_options.ConnectTimeout.TotalSeconds:0.###} s.");
        }
    }

    /// <summary>
    /// Runs connections one after another until the client is disposed. Nothing that goes wrong in one
    /// connection (a handler, a logger, a teardown) ends the loop: it is logged and the client reconnects.
    /// </summary>
    private async Task RunAsync(ClientSocket first)
    {
        // Off the caller of ConnectAsync, which gets its task back at once.
        await Task.Yield();
        ClientSocket? socket = first;
        var connectedAt = _time.GetTimestamp();
        while (true)
        {
            if (socket is not null)
            {
                try
                {
                    await RunConnectionAsync(socket);
                }
                catch (Exception ex)
                {
                    TryLog(ex, static (logger, e) => Log.RunFailed(logger, e));
                    SetState(ConnectionState.Disconnected, exception: ex);
                }
                finally
                {
                    await ReleaseAsync(socket);

                    // Only a connection that stayed up resets the backoff: one the server closes at once must
                    // not be retried at the initial delay forever.
                    if (_time.GetElapsedTime(connectedAt) >= _options.StableConnectionTime)
                    {
                        _reconnectAttempts = 0;
                    }
                }

                socket = null;
            }

            try
            {
                if (await ReconnectAsync() is not { } next)
                {
                    return;
                }

                socket = next.Socket;
                connectedAt = _time.GetTimestamp();
                if (!Activate(next.Socket, next.Welcome))
                {
                    await ReleaseAsync(next.Socket);
                    return;
                }
            }
            catch (Exception ex)
            {
                // E.g. activation failed half way: the socket (if any) is run, and so torn down, as usual.
                TryLog(ex, static (logger, e) => Log.RunFailed(logger, e));
            }
        }
    }

    /// <summary>Reads one connection until it ends, then reports the disconnect.</summary>
    private async Task RunConnectionAsync(ClientSocket socket)
    {
        var (closeStatus, closeDescription, error) = await ReadLoopAsync(socket);
        DetachSocket(socket);
        SetState(ConnectionState.Disconnected, closeStatus, closeDescription, error);
        Log.Disconnected(_logger, closeStatus, closeDescription, error);
    }

    /// <summary>Makes sure a finished socket is no longer the client's, then disposes it; never throws.</summary>
    private async Task ReleaseAsync(ClientSocket socket)
    {
        try
        {
            DetachSocket(socket);
            await socket.DisposeAsync();
        }
        catch (Exception ex)
        {
            TryLog(ex, static (logger, e) => Log.RunFailed(logger, e));
        }
    }

    private void DetachSocket(ClientSocket socket)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_socket, socket))
            {
                _socket = null;
            }
        }

        _sessions.OnDisconnected();
    }

    /// <summary>Logs a failure; a logger that throws as well is not allowed to end the loop that called it.</summary>
    private void TryLog(Exception exception, Action<ILogger, Exception> log)
    {
        try
        {
            log(_logger, exception);
        }
        catch (Exception)
        {
            // Nothing left to report it to.
        }
    }

    /// <summary>Retries with backoff until a socket is open; null once the client is disposed.</summary>
    private async Task<(ClientSocket Socket, Welcome Welcome)?> ReconnectAsync()
    {
        while (true)
        {
            // DisposeAsync closes the socket before it cancels: a close it asked for must not lead to a reconnect.
            if (_disposed)
            {
                return null;
            }

            // Counted across connections (see RunAsync), so quick accept-then-close cycles back off too.
            var attempt = _reconnectAttempts++;
            try
            {
                var delay = ReconnectBackoff.Delay(attempt, _options, Random.Shared);
                Log.WaitingToReconnect(_logger, delay.TotalMilliseconds, attempt + 1);
                await Task.Delay(delay, _time, _disposing.Token);
                SetState(ConnectionState.Connecting);
                return await OpenAsync(_disposing.Token);
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception ex)
            {
                // Whatever failed (token provider included), giving up would leave the application silently offline.
                TryLog(ex, (logger, e) => Log.ConnectFailed(logger, e, attempt + 1));
                SetState(ConnectionState.Disconnected, exception: ex);
            }
        }
    }

    /// <summary>
    /// Makes a fresh socket the current one: re-sends what is unanswered, starts pings, catches sessions up.
    /// False (and nothing done) when the client was disposed meanwhile.
    /// </summary>
    private bool Activate(ClientSocket socket, Welcome welcome)
    {
        List<(PendingSend Send, ResonanceException Error)>? refused = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            _socket = socket;
            Volatile.Write(ref _welcome, welcome);

            // Sends queued before this welcome were checked against the options only; one larger than the
            // server's limit would get the socket closed (1009), and again after every reconnect.
            foreach (var command in _pending.Values)
            {
                if (command is PendingSend send && TooLarge(send, welcome) is { } error)
                {
                    (refused ??= []).Add((send, error));
                }
            }

            foreach (var (send, _) in refused ?? [])
            {
                _pending.Remove(send.Order);
                _sends.Remove(send.ClientMsgId);
            }

            foreach (var command in _pending.Values)
            {
                Write(socket, command);
            }
        }

        foreach (var (send, error) in refused ?? [])
        {
            send.Fail(error);
        }

        var interval = _options.HeartbeatInterval ?? TimeSpan.FromSeconds(welcome.HeartbeatIntervalSeconds);
        if (interval > TimeSpan.Zero)
        {
            socket.StartHeartbeat(interval, ClientSocket.SilenceTimeout(interval, _options.ServerTimeout));
        }

        SetState(ConnectionState.Connected);
        _sessions.CatchUpAll();
        Log.Connected(_logger, welcome.Username, welcome.ConnectionId, welcome.GatewayId);
        return true;
    }

    private async Task<(int? CloseStatus, string? CloseDescription, Exception? Error)> ReadLoopAsync(ClientSocket socket)
    {
        try
        {
            while (true)
            {
                WsPacket? packet;
                try
                {
                    packet = await socket.ReceiveAsync(_disposing.Token);
                }
                catch (InvalidDataException ex)
                {
                    Log.BadPacket(_logger, ex);
                    continue;
                }

                if (packet is null)
                {
                    return (socket.CloseStatus, socket.CloseDescription, null);
                }

                try
                {
                    Handle(packet);
                }
                catch (Exception ex)
                {
                    // One packet that could not be handled must not end the connection's loop, nor the client's.
                    TryLog(ex, (logger, e) => Log.PacketFailed(logger, e, packet.BodyCase.ToString()));
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            return (null, null, socket.AbortReason ?? ex);
        }
    }

    private void Handle(WsPacket packet)
    {
        switch (packet.BodyCase)
        {
            case WsPacket.BodyOneofCase.Push:
                _sessions.OnPush(packet.Push);
                break;
            case WsPacket.BodyOneofCase.Ack:
                OnAck(packet.Ack);
                break;
            case WsPacket.BodyOneofCase.SyncResult:
                OnSyncResult(packet.SyncResult);
                break;
            case WsPacket.BodyOneofCase.Error:
                OnError(packet.Error);
                break;
            case WsPacket.BodyOneofCase.Broadcast:
                _deliveries.Enqueue(packet.Broadcast);
                break;
            case WsPacket.BodyOneofCase.Welcome:
                Volatile.Write(ref _welcome, packet.Welcome);
                break;
            case WsPacket.BodyOneofCase.Pong:
                break;
            default:
                Log.UnexpectedPacket(_logger, packet.BodyCase.ToString());
                break;
        }
    }

    private void OnAck(SendAck ack)
    {
        PendingSend? send;
        lock (_gate)
        {
            if (_sends.Remove(ack.ClientMsgId, out send))
            {
                _pending.Remove(send.Order);
            }
        }

        // Track before completing, so a caller that awaited the ack finds the session tracked.
        _sessions.OnAck(ack);
        send?.Complete(ack);
    }

    private void OnSyncResult(SyncResult result)
    {
        PendingSync? sync;
        lock (_gate)
        {
            if (_syncs.Remove(result.RequestId, out sync))
            {
                _pending.Remove(sync.Order);
            }
        }

        if (sync is null)
        {
            Log.UnmatchedSyncResult(_logger, result.SessionId);
            return;
        }

        sync.Complete(result);
    }

    private void OnError(Error error)
    {
        PendingCommand? command = null;
        lock (_gate)
        {
            if (error.ClientMsgId.Length > 0)
            {
                if (_sends.Remove(error.ClientMsgId, out var send))
                {
                    _pending.Remove(send.Order);
                    command = send;
                }
            }
            else if (error.RequestId.Length > 0 && _syncs.Remove(error.RequestId, out var sync))
            {
                _pending.Remove(sync.Order);
                command = sync;
            }
        }

        if (command is null)
        {
            Log.UnmatchedError(_logger, error.Code, error.Message);
            return;
        }

        command.Fail(new ResonanceException(error.Code, error.Message,
            error.RetryAfterMs > 0 ? TimeSpan.FromMilliseconds(error.RetryAfterMs) : null));
    }

    private void SetState(ConnectionState state, int? closeStatus = null, string? closeDescription = null, Exception? exception = null)
    {
        ConnectionState previous;
        lock (_gate)
        {
            previous = _state;
            if (previous == state)
            {
                return;
            }

            _state = state;

            // Queued under the gate, so handlers see the changes in the order they happened.
            _deliveries.Enqueue(new ConnectionStateChangedEventArgs(previous, state, closeStatus, closeDescription, exception));
        }
    }
}
