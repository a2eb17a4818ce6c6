namespace Resonance.Bench.ReconnectStorm;

/// <param name="Count">Clients that drop and reconnect at once.</param>
/// <param name="GroupSize">Clients per group session (each group also has the writer in it).</param>
/// <param name="AwayMessages">Messages the writer stores in each session while the clients are away.</param>
/// <param name="StormRate">Messages per second the writer keeps sending (round robin over the sessions) during the storm.</param>
/// <param name="Synchronous">Storage:Synchronous of the Resonance server.</param>
internal sealed record ReconnectStormSettings(int Count, int GroupSize, int AwayMessages, double StormRate, string Synchronous)
{
    /// <summary>Messages per sync page.</summary>
    public const int SyncPage = 100;

    /// <summary>How long to wait for the last pushes after everyone is back, before counting what is missing as lost.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);
}
