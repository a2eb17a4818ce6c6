using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Resonance.Bench.Reporting;

namespace Resonance.Bench.Comparison;

/// <summary>
/// The comparison as JSON: <c>{"scenario","startedAt","machine","params","systems":{"resonance":{…},"signalr":{…},"raw":{…}},"notes"}</c>.
/// A system is its one run's figures, or with <c>--sweep</c> its steps and saturation point; <c>vsRaw</c> divides by raw's.
/// </summary>
internal static class ComparisonJsonWriter
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Readable names (→) in a file that is only ever read by people and tools, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task WriteAsync(ComparisonReport report, string path, CancellationToken cancellationToken)
    {
        var settings = report.Settings;
        var systems = new JsonObject();
        foreach (var system in report.Systems)
        {
            JsonObject node;
            if (settings.Sweep)
            {
                node = new JsonObject
                {
                    ["steps"] = new JsonArray([.. system.Runs.Select(r => Run(report, r))]),
                    ["saturation"] = new JsonObject
                    {
                        ["highestUnsaturatedRate"] = system.LastUnsaturated?.Rate,
                        ["highestUnsaturatedDeliveredPerSecond"] = system.LastUnsaturated?.DeliveredPerSecond,
                        ["firstSaturatedRate"] = system.FirstSaturated?.Rate,
                    },
                    ["vsRaw"] = new JsonObject { ["saturationDeliveredPerSecond"] = report.SaturationVersusRaw(system) },
                };
            }
            else
            {
                node = system.Runs.Count > 0 ? Run(report, system.Runs[0]) : [];
            }

            node.Insert(0, "description", system.Description);
            if (system.Failure is not null)
            {
                node["failure"] = system.Failure;
            }

            systems[system.Name] = node;
        }

        var document = new JsonObject
        {
            ["scenario"] = "fanout",
            ["startedAt"] = report.StartedAt,
            ["machine"] = JsonSerializer.SerializeToNode(report.Machine, Options),
            ["loadAverageAtEnd"] = report.LoadAverageAtEnd,
            ["params"] = new JsonObject
            {
                ["members"] = settings.Members,
                ["recipients"] = settings.Recipients,
                ["rate"] = settings.Rate,
                ["durationSeconds"] = settings.Duration.TotalSeconds,
                ["warmupMessages"] = settings.Warmup,
                ["payloadChars"] = settings.Size,
                ["drainSeconds"] = OpenLoopSettings.Drain.TotalSeconds,
                ["sweep"] = settings.Sweep,
                ["sweepFactor"] = settings.Sweep ? OpenLoopSettings.SweepFactor : null,
                ["saturatedBelowDeliveredShare"] = OpenLoopSettings.SaturatedDeliveredShare,
                ["saturatedAboveP99Ms"] = OpenLoopSettings.SaturatedP99.TotalMilliseconds,
                ["systems"] = new JsonArray([.. settings.Systems.Select(s => (JsonNode?)s)]),
                ["resonanceUrl"] = settings.Url?.ToString(),
                ["synchronous"] = settings.Url is null ? settings.Synchronous : null,
            },
            ["systems"] = systems,
            ["notes"] = new JsonArray([.. report.Notes.Select(n => (JsonNode?)n)]),
        };

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, document, Options, cancellationToken);
    }

    private static JsonObject Run(ComparisonReport report, FanoutRun run) => new()
    {
        ["rate"] = run.Rate,
        ["recipients"] = run.Recipients,
        ["warmupMessages"] = run.WarmupMessages,
        ["messagesSent"] = run.MessagesSent,
        ["expected"] = run.Expected,
        ["received"] = run.Received,
        ["lost"] = run.Lost,
        ["duplicates"] = run.Duplicates,
        ["strays"] = run.Strays,
        ["refused"] = run.Refused,
        ["offeredDeliveriesPerSecond"] = run.OfferedPerSecond,
        ["deliveredDeliveriesPerSecond"] = run.DeliveredPerSecond,
        ["deliveredShare"] = Math.Round(run.DeliveredShare, 4),
        ["saturated"] = run.Saturated,
        ["latencyMs"] = Latency(run.Latency),
        ["sendLatenessMs"] = Latency(run.SendLateness),
        ["connectSeconds"] = run.ConnectSeconds,
        ["failure"] = run.Failure,
        ["vsRaw"] = new JsonObject
        {
            ["deliveredPerSecond"] = report.VersusRaw(run, r => r.DeliveredPerSecond),
            ["p50"] = report.VersusRaw(run, r => r.Latency.P50Ms),
            ["p99"] = report.VersusRaw(run, r => r.Latency.P99Ms),
            ["max"] = report.VersusRaw(run, r => r.Latency.MaxMs),
        },
    };

    private static JsonObject Latency(LatencySummary latency) => new()
    {
        ["count"] = latency.Count,
        ["min"] = latency.MinMs,
        ["mean"] = latency.MeanMs,
        ["p50"] = latency.P50Ms,
        ["p90"] = latency.P90Ms,
        ["p99"] = latency.P99Ms,
        ["p999"] = latency.P999Ms,
        ["max"] = latency.MaxMs,
    };
}
