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
        _sessions = new SessionTracker(SyncAsync, _deliveries, options.SyncPageSize, _logger, _disposing.Token);
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
            throw;
        }

        // Activated before returning, so the caller's next Track or send meets a connected client.
        Activate(socket, welcome);
        lock (_gate)
        {
            _running = RunAsync(socket);
        }
    }

    /// <summary>
    /// Sends a message and completes with the server's ack once it is stored. The client message id
    /// is generated here; if the socket drops first, the send is written again after the reconnect
    /// and the server answers with the original ack. A rejection faults the task with a
    /// <see cref="ResonanceException"/> carrying the error code (e.g. <see cref="ErrorCodes.SessionNotFound"/>).
    /// Sends issued while disconnected wait for the next connection. A message too large for one frame
    /// (<see cref="ResonanceClientOptions.MaxFrameBytes"/>) is refused here with <see cref="ErrorCodes.InvalidArgument"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting and stops re-sending; a send already written may still be stored.</param>
    public Task<SendAck> SendAsync(string sessionId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(content);
        var send = new PendingSend(new SendCommand
        {
            ClientMsgId = Guid.NewGuid().ToString("N"),
            SessionId = sessionId,
            Content = content,
        });
        // The server's own limit, once a welcome told it, wins over a larger configured one.
        var maxFrameBytes = Welcome is { MaxFrameBytes: > 0 } welcome ? Math.Min(welcome.MaxFrameBytes, _options.MaxFrameBytes) : _options.MaxFrameBytes;
        if (ClientSocket.FrameBytes(send.Packet, _options.Encoding) > maxFrameBytes)
        {
            return Task.FromException<SendAck>(new ResonanceException(ErrorCodes.InvalidArgument,
                $"The message makes a frame larger than {maxFrameBytes} bytes."));
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
    /// (e.g. from local storage). The next push that skips ahead, or the next (re)connect, syncs the
    /// rest. On a tracked session this only ever moves the mark forward.
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

    /// <summary>Runs connections one after another until the client is disposed.</summary>
    private async Task RunAsync(ClientSocket socket)
    {
        // Off the caller of ConnectAsync, which gets its task back at once.
        await Task.Yield();
        while (true)
        {
            var (closeStatus, closeDescription, error) = await ReadLoopAsync(socket);
            lock (_gate)
            {
                _socket = null;
            }

            Log.Disconnected(_logger, closeStatus, closeDescription, error);
            SetState(ConnectionState.Disconnected, closeStatus, closeDescription, error);
            await socket.DisposeAsync();

            if (await ReconnectAsync() is not { } next)
            {
                return;
            }

            socket = next.Socket;
            Activate(socket, next.Welcome);
        }
    }

    /// <summary>Retries with backoff until a socket is open; null once the client is disposed.</summary>
    private async Task<(ClientSocket Socket, Welcome Welcome)?> ReconnectAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            // DisposeAsync closes the socket before it cancels: a close it asked for must not lead to a reconnect.
            if (_disposed)
            {
                return null;
            }

            var delay = ReconnectBackoff.Delay(attempt, _options, Random.Shared);
            try
            {
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
                Log.ConnectFailed(_logger, ex, attempt + 1);
                SetState(ConnectionState.Disconnected, exception: ex);
            }
        }
    }

    /// <summary>Makes a fresh socket the current one: re-sends what is unanswered, starts pings, catches sessions up.</summary>
    private void Activate(ClientSocket socket, Welcome welcome)
    {
        lock (_gate)
        {
            _socket = socket;
            Volatile.Write(ref _welcome, welcome);
            foreach (var command in _pending.Values)
            {
                Write(socket, command);
            }
        }

        var interval = _options.HeartbeatInterval ?? TimeSpan.FromSeconds(welcome.HeartbeatIntervalSeconds);
        if (interval > TimeSpan.Zero)
        {
            socket.StartHeartbeat(interval, _options.ServerTimeout);
        }

        Log.Connected(_logger, welcome.Username, welcome.ConnectionId, welcome.GatewayId);
        SetState(ConnectionState.Connected);
        _sessions.CatchUpAll();
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

                Handle(packet);
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

        command.Fail(new ResonanceException(error.Code, error.Message));
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
