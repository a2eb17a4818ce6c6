namespace Resonance.Bench.Servers;

/// <summary>A server process's memory at one moment: VmRSS as Linux reports it, and its managed heap after a full collection.</summary>
internal sealed record MemorySample(long ResidentBytes, ServerMemory Managed);
