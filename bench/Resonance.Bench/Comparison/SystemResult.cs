namespace Resonance.Bench.Comparison;

/// <summary>One system's runs in a comparison: one rate, or the steps of a sweep up to its saturation.</summary>
internal sealed class SystemResult(string name)
{
    public string Name { get; } = name;

    public string? Description { get; set; }

    public IList<FanoutRun> Runs { get; } = [];

    /// <summary>Why the system's runs stopped before they were done (a failure or the time limit), if they did.</summary>
    public string? Failure { get; set; }

    /// <summary>The highest rate that did not saturate the system (sweeps; also a single run).</summary>
    public FanoutRun? LastUnsaturated => Runs.LastOrDefault(r => !r.Saturated);

    /// <summary>The first rate that saturated it, if any did.</summary>
    public FanoutRun? FirstSaturated => Runs.FirstOrDefault(r => r.Saturated);

    /// <summary>This system's run at <paramref name="rate"/>, if it had one.</summary>
    public FanoutRun? At(double rate) => Runs.FirstOrDefault(r => r.Rate.Equals(rate));
}
