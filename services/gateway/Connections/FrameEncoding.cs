namespace Resonance.Gateway.Connections;

/// <summary>How a connection's frames are encoded, chosen by its WebSocket subprotocol.</summary>
public enum FrameEncoding
{
    /// <summary>Text frames, protobuf JSON mapping (<c>resonance.v1.json</c>).</summary>
    Json,

    /// <summary>Binary frames, protobuf (<c>resonance.v1.proto</c>).</summary>
    Protobuf,
}
