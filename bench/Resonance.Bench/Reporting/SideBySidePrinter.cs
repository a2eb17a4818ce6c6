using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Resonance.Bench.Reporting;

/// <summary>A side-by-side run as tables on standard output: the settings, then one row per system.</summary>
internal static class SideBySidePrinter
{
    public static void Print(SideBySideReport report, string title, IReadOnlyList<SideBySideColumn> columns)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns when writing to a file or pipe; the tables need more.
            console.Profile.Width = 220;
        }

        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]").LeftJustified());
        var machine = report.Machine;
        var setup = new Table().Border(TableBorder.Simple).AddColumn("setting").AddColumn("value");
        setup.AddRow("machine", Markup.Escape($"{machine.ProcessorCount} logical processors, {machine.OperatingSystem} {machine.Architecture}, {machine.Runtime}, server GC {(machine.ServerGarbageCollector ? "on" : "off")}, open files {machine.OpenFileLimit?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}"));
        setup.AddRow("load average at start / end", Markup.Escape($"{machine.LoadAverage ?? "unknown"} / {report.LoadAverageAtEnd ?? "unknown"}"));
        setup.AddRow("started", report.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        foreach (var (name, value) in report.Parameters)
        {
            setup.AddRow(Markup.Escape(name), Markup.Escape(SideBySideReport.Describe(value)));
        }

        console.Write(setup);

        var table = new Table().Border(TableBorder.Simple).AddColumn("system");
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column.Header)).RightAligned());
        }

        foreach (var (name, node) in report.Systems)
        {
            var figures = node as JsonObject ?? [];
            table.AddRow([Markup.Escape(name), .. columns.Select(c => Markup.Escape(Cell(figures, c.Path)))]);
        }

        console.Write(table);
        foreach (var note in report.Notes)
        {
            console.MarkupLine($"[yellow]note:[/] {Markup.Escape(note)}");
        }
    }

    private static string Cell(JsonObject figures, string path)
    {
        JsonNode? node = figures;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        // Ratio columns (vsRaw.…) read as 1.234×.
        var text = SideBySideReport.Describe(node);
        return path.StartsWith("vs", StringComparison.Ordinal) && node is not null ? text + "×" : text;
    }
}
