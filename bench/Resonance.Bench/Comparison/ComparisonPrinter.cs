using System.Globalization;
using Spectre.Console;

namespace Resonance.Bench.Comparison;

/// <summary>The comparison as tables on standard output: settings, one row per system and rate, saturation points of a sweep.</summary>
internal static class ComparisonPrinter
{
    public static void Print(ComparisonReport report)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns when writing to a file or pipe; the table needs more.
            console.Profile.Width = 200;
        }

        var settings = report.Settings;
        console.WriteLine();
        console.Write(new Rule("[bold]fanout, open loop[/]").LeftJustified());
        var machine = report.Machine;
        var setup = new Table().Border(TableBorder.Simple).AddColumn("setting").AddColumn("value");
        setup.AddRow("machine", Markup.Escape($"{machine.ProcessorCount} logical processors, {machine.OperatingSystem} {machine.Architecture}, {machine.Runtime}, server GC {(machine.ServerGarbageCollector ? "on" : "off")}"));
        setup.AddRow("load average at start / end", Markup.Escape($"{machine.LoadAverage ?? "unknown"} / {report.LoadAverageAtEnd ?? "unknown"}"));
        setup.AddRow("started", report.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        setup.AddRow("group", Markup.Escape($"{settings.Members} members online: 1 sender + {settings.Recipients} recipients, one connection each"));
        setup.AddRow("schedule", Markup.Escape(settings.Sweep
            ? $"sweep from {Format(settings.Rate)} msg/s, ×{Format(OpenLoopSettings.SweepFactor)} per step, up to {OpenLoopSettings.SweepMaxSteps} steps, until saturated"
            : $"{Format(settings.Rate)} msg/s"));
        setup.AddRow("per run", Markup.Escape($"{settings.Duration.TotalSeconds:0} s measured after {(settings.Warmup is { } w ? w.ToString(CultureInfo.InvariantCulture) : "2 s worth of")} warmup messages (delivered before the measured ones start); {settings.Size}-char payload; up to {OpenLoopSettings.Drain.TotalSeconds:0} s drain"));
        setup.AddRow("saturated when", Markup.Escape($"delivered < {OpenLoopSettings.SaturatedDeliveredShare:P0} of offered, or p99 > {OpenLoopSettings.SaturatedP99.TotalMilliseconds:0} ms"));
        foreach (var system in report.Systems)
        {
            setup.AddRow(Markup.Escape(system.Name), Markup.Escape(system.Description ?? "not started"));
        }

        console.Write(setup);

        var table = new Table().Border(TableBorder.Simple).AddColumn("system");
        foreach (var column in new[] { "msg/s", "offered del/s", "delivered del/s", "delivered", "p50 ms", "p99 ms", "max ms", "expected", "received", "lost", "dup", "×raw del/s", "×raw p50", "×raw p99" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        table.AddColumn("");
        foreach (var system in report.Systems)
        {
            foreach (var run in system.Runs)
            {
                table.AddRow(
                    Markup.Escape(run.System),
                    Format(run.Rate),
                    Format(run.OfferedPerSecond),
                    Format(run.DeliveredPerSecond),
                    run.DeliveredShare.ToString("P1", CultureInfo.InvariantCulture),
                    Format(run.Latency.P50Ms),
                    Format(run.Latency.P99Ms),
                    Format(run.Latency.MaxMs),
                    Format(run.Expected),
                    Format(run.Received),
                    Format(run.Lost),
                    Format(run.Duplicates),
                    Ratio(report.VersusRaw(run, r => r.DeliveredPerSecond)),
                    Ratio(report.VersusRaw(run, r => r.Latency.P50Ms)),
                    Ratio(report.VersusRaw(run, r => r.Latency.P99Ms)),
                    run.Saturated ? "[yellow]saturated[/]" : string.Empty);
            }
        }

        console.Write(table);

        if (settings.Sweep)
        {
            var saturation = new Table().Border(TableBorder.Simple).AddColumn("system")
                .AddColumn(new TableColumn("highest unsaturated msg/s").RightAligned())
                .AddColumn(new TableColumn("its delivered del/s").RightAligned())
                .AddColumn(new TableColumn("its p99 ms").RightAligned())
                .AddColumn(new TableColumn("first saturated msg/s").RightAligned())
                .AddColumn(new TableColumn("×raw").RightAligned());
            foreach (var system in report.Systems)
            {
                var ok = system.LastUnsaturated;
                saturation.AddRow(
                    Markup.Escape(system.Name),
                    ok is null ? "none" : Format(ok.Rate),
                    ok is null ? "-" : Format(ok.DeliveredPerSecond),
                    ok is null ? "-" : Format(ok.Latency.P99Ms),
                    system.FirstSaturated is { } first ? Format(first.Rate) : "not reached",
                    Ratio(report.SaturationVersusRaw(system)));
            }

            console.Write(saturation);
        }

        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }
    }

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.###", CultureInfo.InvariantCulture) + "×" : "-";

    private static string Format(double value) => value.ToString("#,##0.###", CultureInfo.InvariantCulture);
}
