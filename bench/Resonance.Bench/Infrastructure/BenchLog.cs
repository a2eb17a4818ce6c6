using System.Diagnostics;
using System.Globalization;

namespace Resonance.Bench.Infrastructure;

/// <summary>Progress lines on standard error, so standard output holds only the results.</summary>
internal static class BenchLog
{
    private static readonly long Started = Stopwatch.GetTimestamp();

    public static void Info(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{Stopwatch.GetElapsedTime(Started).TotalSeconds,7:0.00}s] {message}"));
}
