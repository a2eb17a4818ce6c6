namespace Resonance.Bench.Scenarios;

/// <param name="Messages">Messages measured.</param>
/// <param name="Warmup">Messages sent first and not measured.</param>
/// <param name="Rate">Messages per second on a fixed schedule; 0 sends the next one once the previous was acked and pushed.</param>
/// <param name="Size">Content length in characters.</param>
internal sealed record LatencySettings(int Messages, int Warmup, double Rate, int Size);
