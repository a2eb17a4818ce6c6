using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;
using Resonance.Gateway.Routing;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>User → gateways, in memory, each route expiring unless its gateway refreshes it within the TTL.</summary>
public sealed class InMemoryRouteTable(IOptions<LocalEngineOptions> options, TimeProvider time) : IRouteStore, IRouteLookup
{
    private readonly TimeSpan _ttl = options.Value.RouteTtl;
    private readonly ConcurrentDictionary<string, Dictionary<string, DateTimeOffset>> _routes = new(StringComparer.Ordinal);

    public Task ApplyAsync(IReadOnlyList<RouteChange> changes, CancellationToken cancellationToken)
    {
        var expiresAt = time.GetUtcNow() + _ttl;
        foreach (var change in changes)
        {
            var gateways = _routes.GetOrAdd(change.Username, static _ => new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal));
            lock (gateways)
            {
                if (change.Connected)
                {
                    gateways[change.GatewayId] = expiresAt;
                }
                else
                {
                    gateways.Remove(change.GatewayId);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGatewaysAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var username in usernames)
        {
            if (!_routes.TryGetValue(username, out var gateways))
            {
                continue;
            }

            List<string>? live = null;
            lock (gateways)
            {
                foreach (var (gatewayId, expiresAt) in gateways)
                {
                    if (expiresAt > now)
                    {
                        (live ??= []).Add(gatewayId);
                    }
                }
            }

            if (live is not null)
            {
                result[username] = live;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(result);
    }
}
