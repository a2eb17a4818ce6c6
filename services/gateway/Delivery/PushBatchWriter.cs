using Google.Protobuf;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;

namespace Resonance.Gateway.Delivery;

/// <summary>
/// Writes a pushed batch to the recipients' connections. Each message's packet is encoded once per
/// encoding (protobuf, and JSON only if a JSON client is among the recipients) and the same bytes are
/// queued to every connection, the messages of a run in their order.
/// </summary>
public sealed class PushBatchWriter(ConnectionRegistry registry, GatewayCounters counters)
{
    public PushResult Write(PushBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var frames = Frames(batch);
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
                var took = true;
                for (var i = 0; i < frames.Length && took; i++)
                {
                    took = connection.TryEnqueue(frames[i].For(connection.Encoding));
                }

                if (took)
                {
                    delivered++;
                }
            }
        }

        result.DeliveredConnections = delivered;
        counters.PushBatch(batch.Recipients.Count, result.FailedRecipients.Count);
        return result;
    }

    /// <summary>The batch's messages in order, each to be encoded at most once per encoding.</summary>
    private static SharedFrames[] Frames(PushBatch batch)
    {
        if (batch.Messages.Count == 0)
        {
            return [new SharedFrames(new WsPacket { Push = batch.Message })];
        }

        var frames = new SharedFrames[batch.Messages.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = new SharedFrames(new WsPacket { Push = batch.Messages[i] });
        }

        return frames;
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
