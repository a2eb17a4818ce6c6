using Google.Protobuf;

namespace Resonance.Contracts;

/// <summary>The one JSON mapping of protobuf messages used on the socket and over REST.</summary>
public static class ProtobufJson
{
    /// <summary>Writes default values too, so JavaScript clients see <c>hasMore: false</c> and empty lists.</summary>
    public static JsonFormatter Formatter { get; } = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>Ignores unknown fields so that newer clients can talk to older servers.</summary>
    public static JsonParser Parser { get; } = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
}
