using Resonance.Contracts.V1;

namespace Resonance.Gateway.Delivery;

/// <summary>The Local engine has one gateway: a broadcast is queued to its connections at once.</summary>
public sealed class LocalBroadcaster(PushBatchWriter writer) : IBroadcaster
{
    public Task<BroadcastResponse> BroadcastAsync(Broadcast broadcast, CancellationToken cancellationToken) =>
        Task.FromResult(new BroadcastResponse { Connections = writer.WriteToAll(new WsPacket { Broadcast = broadcast }) });
}
