using Resonance.Contracts.V1;

namespace Resonance.Gateway.Delivery;

/// <summary>Gets an admin broadcast to every connection of every gateway.</summary>
public interface IBroadcaster
{
    Task<BroadcastResponse> BroadcastAsync(Broadcast broadcast, CancellationToken cancellationToken);
}
