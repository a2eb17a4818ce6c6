using System.Text;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Gateway.Connections;

/// <summary>WsPacket to frame bytes and back, in either encoding.</summary>
public static class PacketCodec
{
    public static byte[] Encode(WsPacket packet, FrameEncoding encoding) => encoding == FrameEncoding.Protobuf
        ? packet.ToByteArray()
        : Encoding.UTF8.GetBytes(ProtobufJson.Formatter.Format(packet));

    /// <summary>Decodes a client frame; null when it is not a WsPacket, with the reason in <paramref name="error"/>.</summary>
    public static WsPacket? TryDecode(ReadOnlySpan<byte> frame, FrameEncoding encoding, out string? error)
    {
        try
        {
            error = null;
            return encoding == FrameEncoding.Protobuf
                ? WsPacket.Parser.ParseFrom(frame)
                : ProtobufJson.Parser.Parse<WsPacket>(Encoding.UTF8.GetString(frame));
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException or ArgumentException)
        {
            error = ex.Message;
            return null;
        }
    }
}
