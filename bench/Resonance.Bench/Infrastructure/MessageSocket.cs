using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// A bare <see cref="ClientWebSocket"/> that hands every complete message to a callback on its read loop,
/// with the <see cref="Stopwatch"/> timestamp taken as the message's last frame arrived. It knows no
/// protocol: the baselines' wire formats are spoken on top of it.
/// </summary>
internal sealed class MessageSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _reading;

    private MessageSocket()
    {
        // Each protocol on top decides about keep-alive; the WebSocket pings of the client would be noise.
        _socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan;
    }

    /// <summary>A message's bytes (valid only during the call) and when it arrived.</summary>
    public delegate void MessageHandler(ReadOnlySpan<byte> message, long receivedAt);

    /// <summary>Completes when the read loop ends: the server closed the socket, it broke, or it was disposed.</summary>
    public Task Completion => _reading ?? Task.CompletedTask;

    public static async Task<MessageSocket> ConnectAsync(Uri endpoint, MessageHandler onMessage, CancellationToken cancellationToken)
    {
        var socket = new MessageSocket();
        try
        {
            await socket._socket.ConnectAsync(endpoint, cancellationToken);
        }
        catch
        {
            await socket.DisposeAsync();
            throw;
        }

        socket._reading = socket.ReadLoopAsync(onMessage);
        return socket;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>Closes with the WebSocket handshake (the server answers and its handler ends), aborting after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        await WebSocketClosing.CloseAsync(_socket, _sendGate, _stopping, _reading);
    }

    private async Task ReadLoopAsync(MessageHandler onMessage)
    {
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _stopping.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                buffer.Advance(result.Count);
                if (result.EndOfMessage)
                {
                    onMessage(buffer.WrittenSpan, Stopwatch.GetTimestamp());
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket broke or is being disposed; Completion tells the owner.
        }
    }
}
