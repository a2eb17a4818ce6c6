using System.Collections.Concurrent;
using System.Globalization;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// A Resonance connection that sends and hands back each send's ack (the seq its message was stored at), many
/// sends in flight; it remembers the highest acked seq of every session it sent to.
/// </summary>
internal sealed class AckedSender : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _lastSeq = new(StringComparer.Ordinal);
    private RawConnection? _connection;
    private long _next;

    public static async Task<AckedSender> ConnectAsync(Uri endpoint, string token, CancellationToken cancellationToken)
    {
        var sender = new AckedSender();
        sender._connection = await RawConnection.ConnectAsync(endpoint, token, sender.OnPacket, cancellationToken);
        return sender;
    }

    /// <summary>The highest seq acked in <paramref name="sessionId"/> so far (0 if none).</summary>
    public long LastSeq(string sessionId) => _lastSeq.GetValueOrDefault(sessionId);

    /// <summary>Sends and returns the stored message's seq once the ack arrives; a refusal throws <see cref="ResonanceException"/>.</summary>
    public async Task<long> SendAsync(string sessionId, string content, CancellationToken cancellationToken)
    {
        var clientMsgId = "a" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var ack = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[clientMsgId] = ack;
        await _connection!.SendAsync(new WsPacket { Send = new SendCommand { ClientMsgId = clientMsgId, SessionId = sessionId, Content = content } }, cancellationToken);
        var seq = await ack.Task.WaitAsync(cancellationToken);
        _lastSeq.AddOrUpdate(sessionId, seq, (_, known) => Math.Max(known, seq));
        return seq;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetCanceled();
        }
    }

    private void OnPacket(WsPacket packet, long at)
    {
        switch (packet.BodyCase)
        {
            case WsPacket.BodyOneofCase.Ack when _pending.TryRemove(packet.Ack.ClientMsgId, out var ack):
                ack.TrySetResult(packet.Ack.Seq);
                break;
            case WsPacket.BodyOneofCase.Error when _pending.TryRemove(packet.Error.ClientMsgId, out var refused):
                refused.TrySetException(new ResonanceException(packet.Error.Code, packet.Error.Message));
                break;
        }
    }
}
