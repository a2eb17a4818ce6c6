using System.Net.WebSockets;
using System.Threading.Channels;

namespace Resonance.Bench.Baselines;

/// <summary>
/// One receiver socket of the raw baseline: a bounded queue of frames and one loop that writes them. A frame
/// that finds the queue full is dropped for this receiver (the bench counts it as lost).
/// </summary>
internal sealed class BroadcastReceiver(WebSocket socket, int capacity)
{
    /// <summary>Sent first, before any broadcast: the client knows it is in the group.</summary>
    private static readonly byte[] Registered = [];

    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Queues a frame without waiting; false when the queue is full.</summary>
    public bool TryEnqueue(byte[] frame) => _queue.Writer.TryWrite(frame);

    /// <summary>Queues the registration frame; call before the receiver joins the group, so it is the first frame.</summary>
    public void Announce() => _queue.Writer.TryWrite(Registered);

    /// <summary>Writes queued frames until the client closes or the host stops, then completes the close handshake.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var writing = WriteLoopAsync(stopping);
        try
        {
            // Receivers send nothing; reading is how the close from the client arrives.
            var buffer = new byte[256];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stopping);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client went away or the host is stopping.
        }

        _queue.Writer.TryComplete();
        await writing;
        if (socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Nothing left to tell a client that is gone.
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                while (reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, stopping);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The socket broke or the host is stopping; the read side ends too.
        }
    }
}
