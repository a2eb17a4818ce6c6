using Resonance.Contracts.V1;

namespace Resonance.Gateway.Routing;

/// <summary>Where a gateway records which users it holds, for task to find them.</summary>
public interface IRouteStore
{
    /// <summary>Applies the changes (each says whether a user is connected to a gateway); all or nothing, safe to repeat.</summary>
    Task ApplyAsync(IReadOnlyList<RouteChange> changes, CancellationToken cancellationToken);
}
