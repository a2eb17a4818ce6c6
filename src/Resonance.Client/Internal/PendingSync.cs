using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>A sync waiting for its result. Results carry no request id: they are matched by order and session.</summary>
internal sealed class PendingSync(SyncCommand command) : PendingReply<SyncResult>(new WsPacket { Sync = command })
{
    public string SessionId { get; } = command.SessionId;
}
