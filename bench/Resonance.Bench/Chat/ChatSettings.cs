namespace Resonance.Bench.Chat;

/// <param name="Pairs">1:1 conversations, two connections each.</param>
/// <param name="Rate">Messages per second over all pairs on a fixed schedule (message k: pair k mod P, direction alternating).</param>
/// <param name="Duration">Measured seconds of sending.</param>
/// <param name="Size">Content length in characters.</param>
/// <param name="Systems">Resonance first, then the relays asked for; each server in a process of its own.</param>
/// <param name="Synchronous">Storage:Synchronous of the Resonance server.</param>
internal sealed record ChatSettings(int Pairs, double Rate, TimeSpan Duration, int Size, IReadOnlyList<string> Systems, string Synchronous)
{
    /// <summary>How long to wait for acks and deliveries still on their way, after the warmup and after the last send.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(10);

    /// <summary>One second's worth of messages first, not measured, delivered before the measured ones start.</summary>
    public int Warmup => (int)Math.Ceiling(Rate);

    public int Measured => (int)Math.Round(Rate * Duration.TotalSeconds);
}
