using System.Globalization;
using System.Text.RegularExpressions;

namespace Resonance.Deploy.Tests;

/// <summary>Durations as Dapr writes them (Go's time.ParseDuration: <c>200ms</c>, <c>8s</c>, <c>1h30m</c>).</summary>
internal static partial class GoDuration
{
    public static TimeSpan Parse(string text)
    {
        var parts = Part().Matches(text);
        Assert.True(parts.Count > 0 && string.Concat(parts.Select(p => p.Value)) == text, $"\"{text}\" is not a Go duration");
        return parts.Aggregate(TimeSpan.Zero, (sum, p) => sum + Unit(double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), p.Groups[2].Value));
    }

    private static TimeSpan Unit(double value, string unit) => unit switch
    {
        "ms" => TimeSpan.FromMilliseconds(value),
        "s" => TimeSpan.FromSeconds(value),
        "m" => TimeSpan.FromMinutes(value),
        "h" => TimeSpan.FromHours(value),
        _ => throw new FormatException(unit),
    };

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
