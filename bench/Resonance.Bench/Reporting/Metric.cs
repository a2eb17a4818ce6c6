namespace Resonance.Bench.Reporting;

/// <summary>One figure of a result, e.g. acked messages per second.</summary>
internal sealed record Metric(string Name, double Value, string Unit);
