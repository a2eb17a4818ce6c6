using System.Net.WebSockets;
using Resonance.Contracts.V1;

namespace Resonance.Testing;

/// <summary>
/// One user's socket sending numbered messages into a session with up to <see cref="Window"/> sends awaiting
/// their acks, until the connection ends (the host was killed or closed it) or it is told to stop. Records
/// every send it wrote and every ack it got, in <see cref="Ledger"/>.
/// </summary>
public sealed class PipelinedSender(TestSocket socket, string user, string sessionId, SentLedger ledger) : IDisposable
{
    public const int Window = 8;

    private readonly SemaphoreSlim _window = new(Window);

    public string User { get; } = user;

    /// <summary>The close status the server sent, when it closed the socket with a close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>What ended the connection, when it was not a close frame.</summary>
    public Exception? Failure { get; private set; }

    public SentLedger Ledger { get; } = ledger;

    /// <summary>Sends until the connection ends or <paramref name="stop"/> is cancelled; returns once the connection has ended.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var sending = SendLoopAsync(ended.Token);
        try
        {
            await ReceiveLoopAsync();
        }
        finally
        {
            await ended.CancelAsync();
            await sending;
        }
    }

    public void Dispose() => _window.Dispose();

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await _window.WaitAsync(stop);
                var clientMsgId = Ledger.NextClientMsgId(User);
                await socket.SendMessageAsync(sessionId, SentLedger.ContentOf(clientMsgId), clientMsgId);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopped, or the connection ended under the send: the receive loop knows how.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                var packet = await socket.ReceiveAsync();
                switch (packet.BodyCase)
                {
                    case WsPacket.BodyOneofCase.Ack:
                        Ledger.Acked(User, packet.Ack);
                        _window.Release();
                        break;
                    case WsPacket.BodyOneofCase.Error:
                        Ledger.Refused(User, packet.Error);
                        _window.Release();
                        break;
                }
            }
        }
        catch (SocketClosedException closed)
        {
            CloseStatus = closed.Status;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Failure = ex;
        }
    }
}
