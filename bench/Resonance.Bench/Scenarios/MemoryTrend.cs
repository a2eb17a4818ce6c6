namespace Resonance.Bench.Scenarios;

/// <summary>
/// First versus last of the samples taken after the warmup: the median of the first window against the
/// median of the last (a window is a tenth of the samples, at least one), so that one GC's timing does not
/// decide the verdict.
/// </summary>
internal sealed record MemoryTrend(int Samples, double FirstResidentBytes, double LastResidentBytes, double FirstManagedBytes, double LastManagedBytes)
{
    public double ResidentRatio => FirstResidentBytes > 0 ? LastResidentBytes / FirstResidentBytes : 0;

    public double ManagedRatio => FirstManagedBytes > 0 ? LastManagedBytes / FirstManagedBytes : 0;

    /// <summary>The resident set (what the machine pays) grew by no more than the tolerance.</summary>
    public bool Flat => Samples >= 2 && ResidentRatio <= 1 + SoakSettings.FlatTolerance;

    public static MemoryTrend Of(IReadOnlyList<SoakSample> afterWarmup)
    {
        if (afterWarmup.Count == 0)
        {
            return new MemoryTrend(0, 0, 0, 0, 0);
        }

        var window = Math.Max(1, afterWarmup.Count / 10);
        var first = afterWarmup.Take(window).ToArray();
        var last = afterWarmup.Skip(afterWarmup.Count - window).ToArray();
        return new MemoryTrend(
            afterWarmup.Count,
            Median(first.Select(s => (double)s.ResidentBytes)),
            Median(last.Select(s => (double)s.ResidentBytes)),
            Median(first.Select(s => (double)s.ManagedBytes)),
            Median(last.Select(s => (double)s.ManagedBytes)));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
