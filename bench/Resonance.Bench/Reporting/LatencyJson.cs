using System.Text.Json.Nodes;

namespace Resonance.Bench.Reporting;

/// <summary>A latency summary as the side-by-side JSON gives it: count and percentiles in ms.</summary>
internal static class LatencyJson
{
    public static JsonObject Of(LatencySummary summary) => new()
    {
        ["count"] = summary.Count,
        ["p50"] = summary.P50Ms,
        ["p90"] = summary.P90Ms,
        ["p99"] = summary.P99Ms,
        ["p999"] = summary.P999Ms,
        ["max"] = summary.MaxMs,
    };
}
