using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;
using Resonance.Gateway.Routing;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>
/// User → gateways, in memory, each route expiring unless its gateway refreshes it within the TTL.
/// A user with no live route left is forgotten, so the table holds only who is online.
/// </summary>
public sealed class InMemoryRouteTable(IOptions<LocalEngineOptions> options, TimeProvider time) : IRouteStore, IRouteLookup
{
    private readonly TimeSpan _ttl = options.Value.RouteTtl;
    private readonly ConcurrentDictionary<string, UserRoutes> _routes = new(StringComparer.Ordinal);

    public int UserCount => _routes.Count;

    public Task ApplyAsync(IReadOnlyList<RouteChange> changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var change in changes)
        {
            while (true)
            {
                var user = _routes.GetOrAdd(change.Username, static _ => new UserRoutes());
                lock (user)
                {
                    if (user.Removed)
                    {
                        continue;
                    }

                    if (change.Connected)
                    {
                        user.Gateways[change.GatewayId] = now + _ttl;
                    }
                    else
                    {
                        user.Gateways.Remove(change.GatewayId);
                    }

                    user.Changed();
                    ForgetIfEmpty(change.Username, user, now);
                    break;
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
            if (!_routes.TryGetValue(username, out var user))
            {
                continue;
            }

            lock (user)
            {
                if (!user.Removed && (now < user.FirstExpiry || !ForgetIfEmpty(username, user, now)))
                {
                    result[username] = user.Snapshot;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(result);
    }

    /// <summary>Drops expired routes; forgets the user when none is left. Under the user's lock.</summary>
    private bool ForgetIfEmpty(string username, UserRoutes user, DateTimeOffset now)
    {
        var expired = false;
        foreach (var (gatewayId, expiresAt) in user.Gateways)
        {
            if (expiresAt <= now)
            {
                user.Gateways.Remove(gatewayId);
                expired = true;
            }
        }

        if (expired)
        {
            user.Changed();
        }

        if (user.Gateways.Count > 0)
        {
            return false;
        }

        user.Removed = true;
        _routes.TryRemove(KeyValuePair.Create(username, user));
        return true;
    }

    private sealed class UserRoutes
    {
        public Dictionary<string, DateTimeOffset> Gateways { get; } = new(StringComparer.Ordinal);

        /// <summary>The gateway ids, shared by every lookup until the routes change: no allocation per push.</summary>
        public string[] Snapshot { get; private set; } = [];

        /// <summary>Until then no route has expired, so <see cref="Snapshot"/> is current.</summary>
        public DateTimeOffset FirstExpiry { get; private set; }

        public bool Removed { get; set; }

        public void Changed()
        {
            Snapshot = [.. Gateways.Keys];
            FirstExpiry = DateTimeOffset.MaxValue;
            foreach (var expiresAt in Gateways.Values)
            {
                if (expiresAt < FirstExpiry)
                {
                    FirstExpiry = expiresAt;
                }
            }
        }
    }
}
