using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Resonance.Bench.Reporting;

/// <summary>Writes a report as JSON (camelCase), for tracking numbers across runs.</summary>
internal static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Readable names (×, →) in a file that is only ever read by people and tools, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task WriteAsync(ScenarioReport report, string path, CancellationToken cancellationToken)
    {
        var document = new
        {
            scenario = report.Scenario,
            startedAt = report.StartedAt,
            target = report.Target,
            machine = report.Machine,
            parameters = report.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            metrics = report.Metrics,
            latencies = report.Latencies,
            notes = report.Notes,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken);
    }
}
