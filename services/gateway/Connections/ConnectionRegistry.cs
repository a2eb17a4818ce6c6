using System.Collections.Concurrent;
using Resonance.Gateway.Routing;

namespace Resonance.Gateway.Connections;

/// <summary>
/// The two-way index of this gateway's connections: by id, and by user (many devices each).
/// Each user's list is copy-on-write under a per-user lock, so pushes read it without locking.
/// A user's first connection and last disconnection are reported as route changes.
/// </summary>
public sealed class ConnectionRegistry(RouteReporter routes)
{
    private readonly ConcurrentDictionary<string, ClientConnection> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, UserConnections> _byUser = new(StringComparer.Ordinal);

    public int ConnectionCount => _byId.Count;

    public int UserCount => _byUser.Count;

    public ICollection<ClientConnection> All => _byId.Values;

    /// <summary>Adds the connection; the task completes once the user's route names this gateway.</summary>
    public Task Add(ClientConnection connection)
    {
        _byId[connection.Id] = connection;
        while (true)
        {
            var user = _byUser.GetOrAdd(connection.Username, static _ => new UserConnections());
            lock (user)
            {
                if (user.Removed)
                {
                    continue;
                }

                user.Connections = [.. user.Connections, connection];
                if (user.Connections.Length == 1)
                {
                    user.Routed = routes.Report(connection.Username, connected: true);
                }

                return user.Routed;
            }
        }
    }

    public void Remove(ClientConnection connection)
    {
        _byId.TryRemove(connection.Id, out _);
        if (!_byUser.TryGetValue(connection.Username, out var user))
        {
            return;
        }

        lock (user)
        {
            var index = Array.IndexOf(user.Connections, connection);
            if (index < 0)
            {
                return;
            }

            user.Connections = [.. user.Connections[..index], .. user.Connections[(index + 1)..]];
            if (user.Connections.Length == 0)
            {
                // Reported before the entry leaves the map: an Add racing this one waits on this
                // lock or makes a new entry afterwards, so its "connected" always lands last.
                user.Removed = true;
                _ = routes.Report(connection.Username, connected: false);
                _byUser.TryRemove(KeyValuePair.Create(connection.Username, user));
            }
        }
    }

    /// <summary>The user's connections on this gateway; empty when none.</summary>
    public ClientConnection[] GetConnections(string username) =>
        _byUser.TryGetValue(username, out var user) ? user.Connections : [];

    private sealed class UserConnections
    {
        public ClientConnection[] Connections { get; set; } = [];

        public bool Removed { get; set; }

        public Task Routed { get; set; } = Task.CompletedTask;
    }
}
