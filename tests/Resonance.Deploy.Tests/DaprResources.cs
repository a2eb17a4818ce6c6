using System.Text.Json.Nodes;

namespace Resonance.Deploy.Tests;

/// <summary>
/// The Dapr resources daprd would load: from resource folders as dapr/dapr's disk loader reads them
/// (pkg/internal/loader/disk: the YAML files of each folder, not its sub-folders, every document whose
/// apiVersion and kind match), or from a rendered Kubernetes manifest.
/// </summary>
internal sealed class DaprResources(string source, IReadOnlyList<JsonObject> documents)
{
    public const string ApiVersion = "dapr.io/v1alpha1";

    public string Source { get; } = source;

    public IReadOnlyList<DaprComponent> Components { get; } =
        [.. documents.Where(d => d.Str("apiVersion") == ApiVersion && d.Str("kind") == "Component").Select(d => new DaprComponent(d))];

    public IReadOnlyList<JsonObject> Resiliencies { get; } = [.. OfKind(documents, "Resiliency")];

    public IReadOnlyList<JsonObject> Configurations { get; } = [.. OfKind(documents, "Configuration")];

    public static DaprResources FromFolders(IEnumerable<string> folders)
    {
        var list = folders.ToList();
        var documents = list
            .SelectMany(folder => Directory.EnumerateFiles(folder).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            .SelectMany(Yaml.File)
            .ToList();
        return new DaprResources(string.Join(", ", list.Select(f => Path.GetRelativePath(Repository.Root, f))), documents);
    }

    public override string ToString() => Source;

    private static IEnumerable<JsonObject> OfKind(IEnumerable<JsonObject> documents, string kind) =>
        documents.Where(d => d.Str("apiVersion") == ApiVersion && d.Str("kind") == kind);
}

/// <summary>A Dapr Component resource (dapr/dapr pkg/apis/components/v1alpha1/types.go).</summary>
internal sealed class DaprComponent(JsonObject document)
{
    public JsonObject Document { get; } = document;

    public string Name => Document.Str("metadata", "name")!;

    public string Type => Document.Str("spec", "type")!;

    public string Version => Document.Str("spec", "version")!;

    /// <summary>Kind of building block: <c>state</c>, <c>pubsub</c>, <c>secretstores</c>…</summary>
    public string Block => Type.Split('.')[0];

    public IEnumerable<JsonObject> Metadata => Document.Objects("spec", "metadata");

    public IReadOnlyList<string> Scopes => [.. Document.Strings("scopes")];

    public string? SecretStore => Document.Str("auth", "secretStore");

    public string? Value(string name) => Metadata.Where(m => m.Str("name") == name).Select(m => m.Str("value")).SingleOrDefault();

    public bool IsActorStateStore => Block == "state" && string.Equals(Value("actorStateStore"), "true", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Name} ({Type}/{Version})";
}
