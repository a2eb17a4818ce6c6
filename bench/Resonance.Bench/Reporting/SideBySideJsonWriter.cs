using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resonance.Bench.Reporting;

/// <summary>
/// A side-by-side run as JSON: <c>{"scenario","startedAt","machine","loadAverageAtEnd","params","systems":{…},"notes"}</c>,
/// written to <c>--json</c> or else to <see cref="ResultsPath.Default"/>.
/// </summary>
internal static class SideBySideJsonWriter
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Readable names (→, ×) in a file that is only ever read by people and tools, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<string> WriteAsync(SideBySideReport report, string? path, CancellationToken cancellationToken)
    {
        path ??= ResultsPath.Default(report.Scenario, report.StartedAt);
        var document = new JsonObject
        {
            ["scenario"] = report.Scenario,
            ["startedAt"] = report.StartedAt,
            ["machine"] = JsonSerializer.SerializeToNode(report.Machine, Options),
            ["loadAverageAtEnd"] = report.LoadAverageAtEnd,
            ["params"] = report.Parameters.DeepClone(),
            ["systems"] = report.Systems.DeepClone(),
            ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode?)n)]),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken);
        return path;
    }
}
