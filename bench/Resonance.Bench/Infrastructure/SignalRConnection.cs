using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// The SignalR JSON hub protocol (version 1) spoken over a bare WebSocket, without the SignalR client
/// library: the handshake <c>{"protocol":"json","version":1}</c>, records ended by 0x1E, invocations
/// (type 1) out and in, completions (type 3) of the invocations it waits for, pings (type 6) both ways,
/// close (type 7). Connects straight to the hub's WebSocket (no negotiate request).
/// </summary>
internal sealed class SignalRConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>Sooner than the server's default client timeout (30 s), as the SignalR clients do (15 s).</summary>
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);

    private static readonly byte[] HandshakeRequest = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] PingRecord = "{\"type\":6}\u001e"u8.ToArray();

    private readonly string _target;
    private readonly Action<string, long>? _onInvocation;
    private readonly ArrayBufferWriter<byte> _partial = new(256);
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _invocations = new(StringComparer.Ordinal);
    private MessageSocket? _socket;
    private Timer? _heartbeat;
    private bool _handshakeDone;
    private int _nextInvocationId;
    private long _pingsReceived;
    private long _unreadable;

    private SignalRConnection(string target, Action<string, long>? onInvocation)
    {
        _target = target;
        _onInvocation = onInvocation;
    }

    public long PingsReceived => Interlocked.Read(ref _pingsReceived);

    /// <summary>Completes when the socket's read loop ends: the server closed it, it broke, or it was disposed.</summary>
    public Task Completion => _socket?.Completion ?? Task.CompletedTask;

    /// <summary>Records that were not valid JSON hub messages.</summary>
    public long Unreadable => Interlocked.Read(ref _unreadable);

    /// <summary>Why the server closed the connection (a close message's error), if it did.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>
    /// Connects and completes the handshake. Invocations of <paramref name="target"/> by the server are handed to
    /// <paramref name="onInvocation"/> with their first argument (a string) and the time their frame arrived.
    /// </summary>
    public static async Task<SignalRConnection> ConnectAsync(Uri hub, string target, Action<string, long>? onInvocation, CancellationToken cancellationToken)
    {
        var connection = new SignalRConnection(target, onInvocation);
        try
        {
            connection._socket = await MessageSocket.ConnectAsync(hub, connection.OnMessage, cancellationToken);
            await connection._socket.SendAsync(HandshakeRequest, WebSocketMessageType.Text, cancellationToken);
            await connection._handshake.Task.WaitAsync(cancellationToken);
            connection._heartbeat = new Timer(static state => _ = ((SignalRConnection)state!).PingAsync(), connection, PingInterval, PingInterval);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Invokes a hub method and waits for its completion (an invocation with an id).</summary>
    public async Task InvokeAsync(string method, string[] arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[id] = completion;
        await Socket.SendAsync(Invocation(id, method, arguments), WebSocketMessageType.Text, cancellationToken);
        await completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Invokes a hub method without an id: the server sends no completion (fire and forget).</summary>
    public Task SendAsync(string method, string[] arguments, CancellationToken cancellationToken) =>
        Socket.SendAsync(Invocation(null, method, arguments), WebSocketMessageType.Text, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync();
        }

        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }

        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(new WebSocketException("The connection closed."));
        }

        _handshake.TrySetException(new WebSocketException("The connection closed before the handshake completed."));
    }

    private MessageSocket Socket => _socket ?? throw new InvalidOperationException("Not connected.");

    private static byte[] Invocation(string? invocationId, string target, string[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", 1);
            if (invocationId is not null)
            {
                writer.WriteString("invocationId", invocationId);
            }

            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            foreach (var argument in arguments)
            {
                writer.WriteStringValue(argument);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Write([RecordSeparator]);
        return buffer.WrittenSpan.ToArray();
    }

    private async Task PingAsync()
    {
        try
        {
            await Socket.SendAsync(PingRecord, WebSocketMessageType.Text, CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The read loop sees a broken socket; a missed ping only matters to the server's client timeout.
        }
    }

    /// <summary>A WebSocket message holds one or more records; a record could also be split over messages.</summary>
    private void OnMessage(ReadOnlySpan<byte> message, long receivedAt)
    {
        if (_partial.WrittenCount == 0)
        {
            var rest = HandleRecords(message, receivedAt);
            _partial.Write(rest);
            return;
        }

        _partial.Write(message);
        var tail = HandleRecords(_partial.WrittenSpan, receivedAt).ToArray();
        _partial.ResetWrittenCount();
        _partial.Write(tail);
    }

    private ReadOnlySpan<byte> HandleRecords(ReadOnlySpan<byte> data, long receivedAt)
    {
        for (var end = data.IndexOf(RecordSeparator); end >= 0; end = data.IndexOf(RecordSeparator))
        {
            try
            {
                HandleRecord(data[..end], receivedAt);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                Interlocked.Increment(ref _unreadable);
            }

            data = data[(end + 1)..];
        }

        return data;
    }

    private void HandleRecord(ReadOnlySpan<byte> record, long receivedAt)
    {
        var type = 0;
        var targetMatches = false;
        string? firstArgument = null;
        string? invocationId = null;
        string? error = null;
        var reader = new Utf8JsonReader(record);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A hub message is a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("type"u8))
            {
                type = reader.GetInt32();
            }
            else if (name.SequenceEqual("target"u8))
            {
                targetMatches = reader.ValueTextEquals(_target);
            }
            else if (name.SequenceEqual("invocationId"u8))
            {
                invocationId = reader.GetString();
            }
            else if (name.SequenceEqual("error"u8))
            {
                error = reader.GetString();
            }
            else if (name.SequenceEqual("arguments"u8) && reader.TokenType == JsonTokenType.StartArray)
            {
                var depth = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
                {
                    if (firstArgument is null && reader.TokenType == JsonTokenType.String && reader.CurrentDepth == depth + 1)
                    {
                        firstArgument = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        if (!_handshakeDone)
        {
            // The handshake response is {} or {"error":"…"}: the first record, before any hub message.
            _handshakeDone = true;
            if (error is null)
            {
                _handshake.TrySetResult();
            }
            else
            {
                _handshake.TrySetException(new WebSocketException("SignalR handshake refused: " + error));
            }

            return;
        }

        switch (type)
        {
            case 1 when targetMatches && firstArgument is not null:
                _onInvocation?.Invoke(firstArgument, receivedAt);
                break;
            case 3 when invocationId is not null && _invocations.TryRemove(invocationId, out var completion):
                if (error is null)
                {
                    completion.TrySetResult();
                }
                else
                {
                    completion.TrySetException(new WebSocketException("Hub method failed: " + error));
                }

                break;
            case 6:
                Interlocked.Increment(ref _pingsReceived);
                break;
            case 7:
                CloseReason = error ?? "closed by the server";
                break;
        }
    }
}
