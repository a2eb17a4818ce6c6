using Google.Protobuf;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;

namespace Resonance.Gateway.Delivery;

/// <summary>
/// Writes a pushed batch to the recipients' connections. The packet is encoded once per encoding
/// (protobuf, and JSON only if a JSON client is among the recipients) and the same bytes are
/// queued to every connection.
/// </summary>
public sealed class PushBatchWriter(ConnectionRegistry registry, GatewayCounters counters)
{
    public PushResult Write(PushBatch batch)
    {
        var frames = new SharedFrames(new WsPacket { Push = batch.Message });
        var result = new PushResult();
        var delivered = 0;
        foreach (var username in batch.Recipients)
        {
            var connections = registry.GetConnections(username);
            if (connections.Length == 0)
            {
                result.FailedRecipients.Add(username);
                continue;
            }

            foreach (var connection in connections)
            {
                if (connection.TryEnqueue(frames.For(connection.Encoding)))
                {
                    delivered++;
                }
            }
        }

        result.DeliveredConnections = delivered;
        counters.PushBatch(batch.Recipients.Count, result.FailedRecipients.Count);
        return result;
    }

    /// <summary>Queues one packet to every connection on this gateway; returns how many took it.</summary>
    public int WriteToAll(WsPacket packet)
    {
        var frames = new SharedFrames(packet);
        var delivered = 0;
        foreach (var connection in registry.All)
        {
            if (connection.TryEnqueue(frames.For(connection.Encoding)))
            {
                delivered++;
            }
        }

        return delivered;
    }

    /// <summary>A packet's frame bytes, encoded on first use per encoding and then shared.</summary>
    private sealed class SharedFrames(WsPacket packet)
    {
        private byte[]? _protobuf;
        private byte[]? _json;

        public byte[] For(FrameEncoding encoding) => encoding == FrameEncoding.Protobuf
            ? _protobuf ??= packet.ToByteArray()
            : _json ??= PacketCodec.Encode(packet, FrameEncoding.Json);
    }
}
