namespace Resonance.Bench.Connections;

/// <param name="Count">Idle connections per system.</param>
/// <param name="Workers">Client processes that share the connections.</param>
/// <param name="Idle">How long the connections are held idle while the server's CPU time is measured.</param>
/// <param name="Warmup">Connections opened and closed first, so the measured ones meet a warm (JIT-compiled) server.</param>
/// <param name="Systems">Resonance first, then the baselines asked for; each server in a process of its own.</param>
/// <param name="Synchronous">Storage:Synchronous of the Resonance server.</param>
internal sealed record ConnectionsSettings(int Count, int Workers, TimeSpan Idle, int Warmup, IReadOnlyList<string> Systems, string Synchronous)
{
    /// <summary>Client sockets per worker process by default: well under its 20,000 open files.</summary>
    public const int ConnectionsPerWorker = 8_000;

    /// <summary>The node size the projection is for.</summary>
    public const long NodeBytes = 16L * 1024 * 1024 * 1024;
}
