using System.Net.WebSockets;
using System.Text;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// A client of the raw broadcast baseline: binary messages whose bytes are the payload (UTF-8 text), nothing
/// else. A receiver waits for the server's empty "registered" message before it counts as connected.
/// </summary>
internal sealed class BroadcastConnection : IAsyncDisposable
{
    private readonly Action<string, long>? _onPayload;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MessageSocket? _socket;

    private BroadcastConnection(Action<string, long>? onPayload) => _onPayload = onPayload;

    /// <summary>Completes when the socket's read loop ends: the server closed it, it broke, or it was disposed.</summary>
    public Task Completion => _socket?.Completion ?? Task.CompletedTask;

    /// <summary>Connects a receiver and returns once the server has it in the group.</summary>
    public static async Task<BroadcastConnection> ConnectReceiverAsync(Uri endpoint, Action<string, long> onPayload, CancellationToken cancellationToken)
    {
        var connection = new BroadcastConnection(onPayload);
        try
        {
            connection._socket = await MessageSocket.ConnectAsync(endpoint, connection.OnMessage, cancellationToken);
            await connection._registered.Task.WaitAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public static async Task<BroadcastConnection> ConnectSenderAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var connection = new BroadcastConnection(null);
        connection._socket = await MessageSocket.ConnectAsync(endpoint, static (_, _) => { }, cancellationToken);
        return connection;
    }

    public Task SendAsync(string payload, CancellationToken cancellationToken) =>
        (_socket ?? throw new InvalidOperationException("Not connected.")).SendAsync(Encoding.UTF8.GetBytes(payload), WebSocketMessageType.Binary, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }

        _registered.TrySetException(new WebSocketException("The connection closed before the server registered it."));
    }

    private void OnMessage(ReadOnlySpan<byte> message, long receivedAt)
    {
        if (message.IsEmpty)
        {
            _registered.TrySetResult();
            return;
        }

        _onPayload?.Invoke(Encoding.UTF8.GetString(message), receivedAt);
    }
}
