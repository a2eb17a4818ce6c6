namespace Resonance.Bench.Comparison;

/// <param name="Members">Group members, the sender included: every member is online with one connection.</param>
/// <param name="Rate">Messages per second the sender sends on a fixed schedule; the first rate of a sweep.</param>
/// <param name="Duration">Measured sending time per run.</param>
/// <param name="Warmup">Messages sent first on the same schedule and delivered before the measured ones start, not measured; null: two seconds' worth.</param>
/// <param name="Size">Payload length in characters.</param>
/// <param name="Systems">The systems to run, one after another, each on a fresh server: resonance first, then the baselines asked for.</param>
/// <param name="Sweep">Raise the rate stepwise until each system saturates.</param>
/// <param name="Url">A running Resonance server instead of the in-process host (the baselines always run in-process).</param>
/// <param name="Synchronous">Storage:Synchronous of the in-process Resonance host.</param>
internal sealed record OpenLoopSettings(
    int Members,
    double Rate,
    TimeSpan Duration,
    int? Warmup,
    int Size,
    IReadOnlyList<string> Systems,
    bool Sweep,
    Uri? Url,
    string Synchronous)
{
    /// <summary>How long to wait after the last send (of the warmup, and of the measured messages) for deliveries still on their way.</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    /// <summary>A run is saturated when fewer than this share of the offered deliveries per second arrived…</summary>
    public const double SaturatedDeliveredShare = 0.95;

    /// <summary>…or when p99 send → delivery is above this.</summary>
    public static readonly TimeSpan SaturatedP99 = TimeSpan.FromSeconds(1);

    /// <summary>Each sweep step multiplies the rate by this.</summary>
    public const double SweepFactor = 1.5;

    /// <summary>At most this many rates per system in a sweep.</summary>
    public const int SweepMaxSteps = 14;

    public int Recipients => Members - 1;

    /// <summary>The rate of sweep step <paramref name="step"/>: the first as given, then whole msg/s from 10 up.</summary>
    public static double SweepRate(double first, int step)
    {
        if (step == 0)
        {
            return first;
        }

        var rate = first * Math.Pow(SweepFactor, step);
        return Math.Round(rate, rate >= 10 ? 0 : 1);
    }

    public int WarmupAt(double rate) => Warmup ?? (int)Math.Ceiling(2 * rate);
}
