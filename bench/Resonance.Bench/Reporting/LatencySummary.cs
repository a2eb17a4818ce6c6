namespace Resonance.Bench.Reporting;

/// <summary>Percentiles of one latency, in milliseconds (HdrHistogram, 3 significant digits).</summary>
internal sealed record LatencySummary(
    string Name,
    long Count,
    double MeanMs,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    double MinMs);
