namespace Resonance.Bench.Scenarios;

/// <summary>One reading of the server process: seconds since traffic started, resident set size and managed heap in bytes.</summary>
internal sealed record SoakSample(double AtSeconds, long ResidentBytes, long ManagedBytes);
