using System.Diagnostics;
using HdrHistogram;

namespace Resonance.Bench.Reporting;

/// <summary>A thread-safe HdrHistogram of latencies in microseconds (1 µs to 5 min, 3 significant digits).</summary>
internal sealed class LatencyRecorder
{
    private static readonly long HighestMicroseconds = (long)TimeSpan.FromMinutes(5).TotalMicroseconds;

    private readonly LongConcurrentHistogram _histogram = new(1, HighestMicroseconds, 3);

    public long Count => _histogram.TotalCount;

    /// <summary>Records the time between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public void Record(long startTimestamp, long endTimestamp)
    {
        var microseconds = (long)Stopwatch.GetElapsedTime(startTimestamp, endTimestamp).TotalMicroseconds;
        _histogram.RecordValue(Math.Clamp(microseconds, 1, HighestMicroseconds));
    }

    public LatencySummary Summarize(string name) => Count == 0
        ? new LatencySummary(name, 0, 0, 0, 0, 0, 0, 0, 0)
        : new LatencySummary(
            name,
            Count,
            Milliseconds(_histogram.GetMean()),
            Milliseconds(_histogram.GetValueAtPercentile(50)),
            Milliseconds(_histogram.GetValueAtPercentile(90)),
            Milliseconds(_histogram.GetValueAtPercentile(99)),
            Milliseconds(_histogram.GetValueAtPercentile(99.9)),
            Milliseconds(_histogram.GetMaxValue()),
            Milliseconds(_histogram.GetValueAtPercentile(0)));

    private static double Milliseconds(double microseconds) => Math.Round(microseconds / 1000, 3);
}
