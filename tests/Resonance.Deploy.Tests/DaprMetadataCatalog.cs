using System.Text.Json;

namespace Resonance.Deploy.Tests;

/// <summary>
/// The metadata names Dapr knows for each component type and version (dapr-metadata.json, read from
/// components-contrib's metadata.yaml files by refresh-dapr-metadata.py). Dapr ignores an unknown name silently.
/// </summary>
internal static class DaprMetadataCatalog
{
    private static readonly Dictionary<string, Entry> Entries = Load();

    public static string Source { get; private set; } = string.Empty;

    /// <summary>The entry of <c>type/version</c> (e.g. <c>state.redis/v1</c>), or null when the catalog lacks it.</summary>
    public static Entry? Find(string type, string version) => Entries.GetValueOrDefault($"{type}/{version}");

    private static Dictionary<string, Entry> Load()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "dapr-metadata.json")));
        Source = json.RootElement.GetProperty("source").GetString()!;
        return json.RootElement.GetProperty("components").EnumerateObject().ToDictionary(
            p => p.Name,
            p => new Entry(
                p.Value.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal),
                p.Value.GetProperty("sensitive").EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }

    internal sealed record Entry(IReadOnlySet<string> Names, IReadOnlySet<string> Sensitive);
}
