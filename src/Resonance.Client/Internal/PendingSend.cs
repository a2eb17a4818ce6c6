using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>A send waiting for its ack, found again by its client message id.</summary>
internal sealed class PendingSend(SendCommand command) : PendingReply<SendAck>(new WsPacket { Send = command })
{
    public string ClientMsgId { get; } = command.ClientMsgId;
}
