namespace Resonance.TaskService.Dispatch;

/// <summary>Which gateways hold a connection of each user (the route store gateways report to).</summary>
public interface IRouteLookup
{
    /// <summary>Gateway ids per user; users with no live route are left out.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGatewaysAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken);
}
