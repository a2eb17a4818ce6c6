using System.Globalization;
using Resonance.Bench.Comparison;
using ScottPlot;

namespace Resonance.Bench.Plotting;

/// <summary>
/// The PNG beside a fan-out comparison's JSON: p50 and p99 scheduled send → delivery against the offered rate, one
/// colour per system (solid p50, dashed p99), both axes logarithmic; saturated runs are drawn as hollow points.
/// </summary>
internal static class FanoutLatencyPlot
{
    private static readonly Dictionary<string, Color> Colours = new(StringComparer.Ordinal)
    {
        [FanoutComparison.Resonance] = Colors.C0,
        [FanoutComparison.SignalR] = Colors.C1,
        [FanoutComparison.Raw] = Colors.C2,
    };

    public static string Write(ComparisonReport report, string jsonPath)
    {
        var path = Path.ChangeExtension(jsonPath, ".png");
        var plot = new Plot();
        foreach (var system in report.Systems.Where(s => s.Runs.Count > 0))
        {
            var colour = Colours.GetValueOrDefault(system.Name, Colors.Gray);
            var rates = system.Runs.Select(r => Math.Log10(r.Rate)).ToArray();
            Add(plot, rates, system.Runs.Select(r => r.Latency.P50Ms), colour, LinePattern.Solid, $"{system.Name} p50");
            Add(plot, rates, system.Runs.Select(r => r.Latency.P99Ms), colour, LinePattern.Dashed, $"{system.Name} p99");
            var saturated = system.Runs.Where(r => r.Saturated).ToArray();
            if (saturated.Length > 0)
            {
                var marks = plot.Add.ScatterPoints(saturated.Select(r => Math.Log10(r.Rate)).ToArray(), saturated.Select(r => Math.Log10(Math.Max(r.Latency.P99Ms, 0.001))).ToArray());
                marks.Color = colour;
                marks.MarkerShape = MarkerShape.OpenCircle;
                marks.MarkerSize = 12;
            }
        }

        var settings = report.Settings;
        plot.Title($"fanout: {settings.Recipients} recipients, {settings.Duration.TotalSeconds:0} s per rate ({report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)");
        plot.XLabel("offered load: messages/s into the group (log)");
        plot.YLabel("scheduled send → delivery, ms (log)");
        plot.Axes.Bottom.TickGenerator = LogTicks();
        plot.Axes.Left.TickGenerator = LogTicks();
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 650);
        return path;
    }

    private static void Add(Plot plot, double[] xs, IEnumerable<double> milliseconds, Color colour, LinePattern pattern, string label)
    {
        var line = plot.Add.Scatter(xs, milliseconds.Select(v => Math.Log10(Math.Max(v, 0.001))).ToArray());
        line.Color = colour;
        line.LinePattern = pattern;
        line.LineWidth = 2;
        line.MarkerSize = 6;
        line.LegendText = label;
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = value => Math.Pow(10, value).ToString("#,##0.###", CultureInfo.InvariantCulture),
    };
}
