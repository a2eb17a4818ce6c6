using System.Globalization;
using System.Text.Json.Nodes;

namespace Resonance.Bench.Reporting;

/// <summary>
/// One run of a side-by-side scenario (<c>connections</c>, <c>chat</c>, <c>reconnect-storm</c>): its parameters,
/// where it ran, and each system's figures as a JSON object, in the order they ran.
/// </summary>
internal sealed class SideBySideReport(string scenario)
{
    public const string Baseline = "raw";

    public string Scenario { get; } = scenario;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public MachineInfo Machine { get; } = MachineInfo.Collect();

    public string? LoadAverageAtEnd { get; set; }

    public JsonObject Parameters { get; } = [];

    /// <summary>System name → its figures (nested objects allowed; numbers where they are numbers).</summary>
    public JsonObject Systems { get; } = [];

    public IList<string> Notes { get; } = [];

    public JsonObject System(string name)
    {
        if (Systems[name] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        Systems[name] = created;
        return created;
    }

    /// <summary>The number at a dotted <paramref name="path"/> of a system's figures, if there is one.</summary>
    public static double? Number(JsonObject figures, string path)
    {
        JsonNode? node = figures;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
    }

    /// <summary>
    /// Adds <c>vsRaw</c> (or <c>vs</c> + another <paramref name="baseline"/>) to every system: each of
    /// <paramref name="paths"/> divided by the baseline's, when the baseline ran and its figure is not 0. The keys
    /// are the paths with <c>/</c> for <c>.</c> (<c>vsRaw["rss/perConnectionKB"]</c>).
    /// </summary>
    public void AddRatiosToBaseline(IEnumerable<string> paths, string baseline = Baseline)
    {
        if (Systems[baseline] is not JsonObject raw)
        {
            return;
        }

        var list = paths.ToArray();
        foreach (var (_, node) in Systems)
        {
            if (node is not JsonObject figures)
            {
                continue;
            }

            var ratios = new JsonObject();
            foreach (var path in list)
            {
                ratios[path.Replace('.', '/')] = Ratio(Number(figures, path), Number(raw, path));
            }

            figures[RatioKey(baseline)] = ratios;
        }
    }

    /// <summary><c>vsRaw</c>, <c>vsSignalr</c>: where a system's ratios to <paramref name="baseline"/> are.</summary>
    public static string RatioKey(string baseline) => "vs" + char.ToUpperInvariant(baseline[0]) + baseline[1..];

    public void Parameter(string name, JsonNode? value) => Parameters[name] = value;

    public static string Describe(JsonNode? value) => value switch
    {
        null => "-",
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("#,##0.###", CultureInfo.InvariantCulture),
        JsonValue v => v.ToString(),
        _ => value.ToJsonString(),
    };

    private static double? Ratio(double? value, double? baseline) =>
        value is { } v && baseline is { } b && b != 0 ? Math.Round(v / b, 3) : null;
}
