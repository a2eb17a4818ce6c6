using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>
/// A command waiting for the server's answer. It outlives the socket it was written to: after a
/// reconnect it is written again, in the order it was first issued.
/// </summary>
internal abstract class PendingCommand(WsPacket packet)
{
    /// <summary>Issue order; set when the client registers the command.</summary>
    public long Order { get; set; }

    public WsPacket Packet { get; } = packet;

    public abstract void Fail(Exception exception);

    public abstract void Cancel(CancellationToken cancellationToken);
}
