namespace Resonance.Bench.Scenarios;

/// <param name="Sessions">Direct sessions, each with its own sender and receiver connection.</param>
/// <param name="Senders">Sends outstanding at once: each sender waits for its ack before the next send.</param>
/// <param name="Duration">How long sends are measured.</param>
/// <param name="Warmup">Sending before the measured window, not counted.</param>
/// <param name="Size">Content length in characters.</param>
internal sealed record ThroughputSettings(int Sessions, int Senders, TimeSpan Duration, TimeSpan Warmup, int Size);
