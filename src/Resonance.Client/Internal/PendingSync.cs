using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>A sync waiting for its result, which the server matches to it by request id.</summary>
internal sealed class PendingSync(SyncCommand command) : PendingReply<SyncResult>(new WsPacket { Sync = command })
{
    public string RequestId { get; } = command.RequestId;
}
