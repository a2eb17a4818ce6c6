using System.Net.WebSockets;

namespace Resonance.Bench.Infrastructure;

/// <summary>How the bench's sockets end: the WebSocket closing handshake, then their read loop, all within 5 s.</summary>
internal static class WebSocketClosing
{
    /// <summary>
    /// Closes with the handshake (the server answers and its handler ends), waits for the read loop, aborts after 5 s;
    /// then cancels <paramref name="stopping"/> and disposes the socket, the token source and the send gate.
    /// </summary>
    public static async Task CloseAsync(ClientWebSocket socket, SemaphoreSlim sendGate, CancellationTokenSource stopping, Task? reading)
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await sendGate.WaitAsync(timeout.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bench done", timeout.Token);
                if (reading is not null)
                {
                    await reading.WaitAsync(timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or TimeoutException)
            {
                socket.Abort();
            }
        }

        await stopping.CancelAsync();
        if (reading is not null)
        {
            await reading.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        socket.Dispose();
        stopping.Dispose();
        sendGate.Dispose();
    }
}
