using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Resonance.Gateway.Limits;

/// <summary>
/// Counts each user's connections on this gateway, taken before the upgrade is accepted (so that an upgrade over
/// <see cref="GatewayOptions.MaxConnectionsPerUser"/> can still be answered with HTTP 429) and given back when the
/// connection ends. A user's entry leaves the map with its last slot: nothing stays behind for users who left.
/// </summary>
public sealed class ConnectionSlots(IOptions<GatewayOptions> options)
{
    private readonly int _max = options.Value.MaxConnectionsPerUser;
    private readonly ConcurrentDictionary<string, int> _taken = new(StringComparer.Ordinal);

    /// <summary>Users holding at least one slot.</summary>
    public int UserCount => _taken.Count;

    /// <summary>The slots <paramref name="username"/> holds: its connections, and upgrades being accepted.</summary>
    public int HeldBy(string username) => _taken.TryGetValue(username, out var held) ? held : 0;

    /// <summary>Takes a slot for <paramref name="username"/>; false when the user already holds the most allowed. Give it back with <see cref="Release"/>.</summary>
    public bool TryTake(string username)
    {
        while (true)
        {
            if (_taken.TryGetValue(username, out var held))
            {
                if (_max > 0 && held >= _max)
                {
                    return false;
                }

                if (_taken.TryUpdate(username, held + 1, held))
                {
                    return true;
                }
            }
            else if (_taken.TryAdd(username, 1))
            {
                return true;
            }
        }
    }

    public void Release(string username)
    {
        while (_taken.TryGetValue(username, out var held))
        {
            // Compare-and-set either way, so a TryTake racing this one is never lost.
            if (held == 1 ? _taken.TryRemove(KeyValuePair.Create(username, 1)) : _taken.TryUpdate(username, held - 1, held))
            {
                return;
            }
        }
    }
}
