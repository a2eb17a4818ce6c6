using System.Globalization;
using Spectre.Console;

namespace Resonance.Bench.Reporting;

/// <summary>Writes a report to the console as tables.</summary>
internal static class ReportPrinter
{
    public static void Print(ScenarioReport report)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns when writing to a file or pipe; the latency table needs more.
            console.Profile.Width = 132;
        }

        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(report.Scenario)}[/]").LeftJustified());

        var machine = report.Machine;
        var setup = new Table().Border(TableBorder.Simple).AddColumn("setting").AddColumn("value");
        setup.AddRow("machine", Markup.Escape($"{machine.ProcessorCount} logical processors, {machine.OperatingSystem} {machine.Architecture}"));
        setup.AddRow("runtime", Markup.Escape($"{machine.Runtime}, server GC {(machine.ServerGarbageCollector ? "on" : "off")}, open-file limit {machine.OpenFileLimit?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}"));
        setup.AddRow("load average at start", Markup.Escape(machine.LoadAverage ?? "unknown"));
        setup.AddRow("target", Markup.Escape(report.Target));
        setup.AddRow("started", report.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        foreach (var (name, value) in report.Parameters)
        {
            setup.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        console.Write(setup);

        if (report.Metrics.Count > 0)
        {
            var metrics = new Table().Border(TableBorder.Simple).AddColumn("result").AddColumn(new TableColumn("value").RightAligned()).AddColumn("unit");
            foreach (var metric in report.Metrics)
            {
                metrics.AddRow(Markup.Escape(metric.Name), Format(metric.Value), Markup.Escape(metric.Unit));
            }

            console.Write(metrics);
        }

        if (report.Latencies.Count > 0)
        {
            var latencies = new Table().Border(TableBorder.Simple).AddColumn("latency (ms)");
            foreach (var column in new[] { "count", "min", "mean", "p50", "p90", "p99", "p99.9", "max" })
            {
                latencies.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (var l in report.Latencies)
            {
                latencies.AddRow(
                    Markup.Escape(l.Name),
                    l.Count.ToString(CultureInfo.InvariantCulture),
                    Format(l.MinMs),
                    Format(l.MeanMs),
                    Format(l.P50Ms),
                    Format(l.P90Ms),
                    Format(l.P99Ms),
                    Format(l.P999Ms),
                    Format(l.MaxMs));
            }

            console.Write(latencies);
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }
    }

    private static string Format(double value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);
}
