namespace Resonance.Contracts;

/// <summary>WebSocket subprotocols: the one a client asks for picks the frame encoding.</summary>
public static class Subprotocols
{
    /// <summary>Text frames holding <c>WsPacket</c> in protobuf's JSON mapping.</summary>
    public const string Json = "resonance.v1.json";

    /// <summary>Binary frames holding protobuf-encoded <c>WsPacket</c>.</summary>
    public const string Protobuf = "resonance.v1.proto";
}
