using Resonance.Bench.Reporting;

namespace Resonance.Bench.Comparison;

/// <summary>What one system did at one rate.</summary>
/// <param name="Rate">Messages per second offered by the sender.</param>
/// <param name="MessagesSent">Measured messages sent (warmup excluded).</param>
/// <param name="Expected">Measured messages sent × recipients.</param>
/// <param name="Received">Distinct measured deliveries that arrived before the drain ended.</param>
/// <param name="DeliveredPerSecond">Received over the measured window, or over first scheduled send → last delivery when that is longer.</param>
/// <param name="Latency">Scheduled send → delivery, per delivery.</param>
/// <param name="SendLateness">Scheduled send → send issued, the bench's own lateness (included in Latency).</param>
/// <param name="Failure">What went wrong, if anything (the sender's socket failed, the warmup was not delivered within the drain): such a run counts as saturated.</param>
internal sealed record FanoutRun(
    string System,
    double Rate,
    int Recipients,
    int WarmupMessages,
    long MessagesSent,
    long Expected,
    long Received,
    long Duplicates,
    long Strays,
    long Refused,
    double OfferedPerSecond,
    double DeliveredPerSecond,
    LatencySummary Latency,
    LatencySummary SendLateness,
    double ConnectSeconds,
    string? Failure)
{
    public long Lost => Expected - Received;

    public double DeliveredShare => OfferedPerSecond > 0 ? DeliveredPerSecond / OfferedPerSecond : 0;

    public bool Saturated =>
        Failure is not null
        || DeliveredShare < OpenLoopSettings.SaturatedDeliveredShare
        || Latency.P99Ms > OpenLoopSettings.SaturatedP99.TotalMilliseconds;
}
