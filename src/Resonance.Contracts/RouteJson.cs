using System.Text.Json;

namespace Resonance.Contracts;

/// <summary>The JSON options of <see cref="UserRoutesRecord"/>, the same as the Dapr SDK's state serialization (web defaults).</summary>
public static class RouteJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
