using Resonance.Bench.Reporting;

namespace Resonance.Bench.Comparison;

/// <summary>A comparison run: its settings, where it ran, every system's results, and ratios against the raw baseline.</summary>
internal sealed class ComparisonReport(OpenLoopSettings settings, MachineInfo machine, DateTimeOffset startedAt)
{
    public OpenLoopSettings Settings { get; } = settings;

    public MachineInfo Machine { get; } = machine;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public string? LoadAverageAtEnd { get; set; }

    public IList<SystemResult> Systems { get; } = [];

    public IList<string> Notes { get; } = [];

    public SystemResult? Raw => Systems.FirstOrDefault(s => s.Name == FanoutComparison.Raw);

    /// <summary>The raw baseline's run at the same rate, if there is one to compare with.</summary>
    public FanoutRun? RawAt(double rate) => Raw?.At(rate);

    /// <summary><paramref name="value"/> of a run divided by the same of raw at its rate; null without a raw run or when raw's is 0.</summary>
    public double? VersusRaw(FanoutRun run, Func<FanoutRun, double> value)
    {
        var raw = RawAt(run.Rate);
        if (raw is null)
        {
            return null;
        }

        var baseline = value(raw);
        return baseline == 0 ? null : Math.Round(value(run) / baseline, 3);
    }

    /// <summary>A system's saturation point (highest unsaturated delivered/s) over raw's; null unless both swept to saturation.</summary>
    public double? SaturationVersusRaw(SystemResult system)
    {
        if (Raw?.LastUnsaturated is not { } raw || raw.DeliveredPerSecond == 0 || system.LastUnsaturated is not { } own)
        {
            return null;
        }

        return Math.Round(own.DeliveredPerSecond / raw.DeliveredPerSecond, 3);
    }
}
