namespace Resonance.Client;

/// <summary>How packets travel on the socket; picks the WebSocket subprotocol.</summary>
public enum WireEncoding
{
    /// <summary>Binary frames holding protobuf (<c>resonance.v1.proto</c>): smaller and faster to parse.</summary>
    Protobuf,

    /// <summary>Text frames in protobuf's JSON mapping (<c>resonance.v1.json</c>): readable when debugging.</summary>
    Json,
}
