using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>A send waiting for its ack, found again by its client message id.</summary>
internal sealed class PendingSend(SendCommand command, WireEncoding encoding) : PendingReply<SendAck>(new WsPacket { Send = command })
{
    public string ClientMsgId { get; } = command.ClientMsgId;

    /// <summary>The size of this send's frame in the client's encoding.</summary>
    public int FrameBytes { get; } = ClientSocket.FrameBytes(new WsPacket { Send = command }, encoding);
}
