namespace Resonance.Bench.Scenarios;

/// <param name="Pairs">Direct sessions: a sender (ResonanceClient) and a receiver (bare socket) each.</param>
/// <param name="ChatRate">Messages per second over all direct sessions together, each sender on its own fixed schedule.</param>
/// <param name="GroupMembers">Members of the one group: its sender plus this many minus one of the chat receivers.</param>
/// <param name="FanoutRate">Messages per second into the group.</param>
/// <param name="ChurnRate">Extra connections per second that connect, are welcomed and close (connection set-up and tear-down).</param>
/// <param name="Duration">Length of the traffic, warmup included.</param>
/// <param name="Warmup">The first part of the run whose memory samples are not compared (JIT, pools, caches filling).</param>
/// <param name="SampleInterval">How often the server's RSS and managed heap are read.</param>
/// <param name="Size">Content length in characters.</param>
internal sealed record SoakSettings(
    int Pairs,
    double ChatRate,
    int GroupMembers,
    double FanoutRate,
    double ChurnRate,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan SampleInterval,
    int Size)
{
    /// <summary>Memory is "flat" when the last window's median is within this fraction of the first window's.</summary>
    public const double FlatTolerance = 0.05;
}
