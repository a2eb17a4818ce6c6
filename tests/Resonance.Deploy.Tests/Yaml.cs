using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Resonance.Deploy.Tests;

/// <summary>YAML documents read as JSON nodes (every scalar a string), so the checks can walk them by key.</summary>
internal static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    /// <summary>Every document of a YAML text, in order (a file may hold several, separated by <c>---</c>).</summary>
    public static IReadOnlyList<JsonObject> Documents(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<JsonObject>();
        while (parser.Accept<DocumentStart>(out _))
        {
            if (ToNode(Deserializer.Deserialize<object?>(parser)) is JsonObject document)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    public static IReadOnlyList<JsonObject> File(string path) => Documents(System.IO.File.ReadAllText(path));

    /// <summary>The one document of a file that must hold exactly one.</summary>
    public static JsonObject SingleDocument(string path) => Assert.Single(File(path));

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        IDictionary<object, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(Convert.ToString(p.Key, System.Globalization.CultureInfo.InvariantCulture)!, ToNode(p.Value)))),
        IList<object?> list => new JsonArray([.. list.Select(ToNode)]),
        _ => JsonValue.Create(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)),
    };
}

internal static class JsonNodeExtensions
{
    /// <summary>A string at a path of keys, or null where any step is missing.</summary>
    public static string? Str(this JsonNode? node, params string[] path) => node.At(path)?.GetValue<string>();

    public static JsonNode? At(this JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(key, out var child) ? child : null;
        }

        return node;
    }

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array ? array.OfType<JsonObject>() : [];

    public static IEnumerable<string> Strings(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonArray array ? array.Select(n => n!.GetValue<string>()) : [];

    public static IEnumerable<string> Keys(this JsonNode? node, params string[] path) =>
        node.At(path) is JsonObject obj ? obj.Select(p => p.Key) : [];
}
