namespace Resonance.Bench.Scenarios;

/// <param name="Users">Users connecting at the same moment, one connection each.</param>
/// <param name="Warmup">Other users connected, synced and closed a few at a time first, so the storm meets a warm server.</param>
internal sealed record ConnectStormSettings(int Users, int Warmup);
