using System.Runtime.InteropServices;
using Google.Protobuf;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Delivery;

namespace Resonance.Gateway.Tests;

public sealed class PushBatchWriterTests
{
    [Fact]
    public void A_batch_is_encoded_once_and_the_same_bytes_are_queued_to_every_connection()
    {
        var harness = new GatewayHarness();
        var connections = new[]
        {
            harness.Connect("alice"), harness.Connect("alice"), harness.Connect("bob"), harness.Connect("carol"),
        };
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);

        var result = writer.Write(Batch("alice", "bob", "carol"));

        var arrays = connections.Select(c => Assert.Single(GatewayHarness.Drain(c))).Select(ArrayOf).ToList();
        Assert.All(arrays, a => Assert.Same(arrays[0], a));
        Assert.Equal("hello", WsPacket.Parser.ParseFrom(arrays[0]).Push.Content);
        Assert.Empty(result.FailedRecipients);
        Assert.Equal(4, result.DeliveredConnections);
    }

    [Fact]
    public void A_run_of_messages_is_queued_to_every_connection_in_order_each_message_encoded_once()
    {
        var harness = new GatewayHarness();
        var connections = new[] { harness.Connect("alice"), harness.Connect("bob"), harness.Connect("bob") };
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);
        var batch = new PushBatch { Recipients = { "alice", "bob", "dave" } };
        for (var seq = 1; seq <= 3; seq++)
        {
            batch.Messages.Add(new Push { SessionId = "g_1", Seq = seq, Content = $"m{seq}" });
        }

        var result = writer.Write(batch);

        var queued = connections.Select(c => GatewayHarness.Drain(c).Select(ArrayOf).ToList()).ToList();
        Assert.All(queued, frames => Assert.Equal(["m1", "m2", "m3"], frames.Select(f => WsPacket.Parser.ParseFrom(f).Push.Content)));
        Assert.All(queued, frames => Assert.All(frames.Zip(queued[0]), pair => Assert.Same(pair.Second, pair.First)));
        Assert.Equal(["dave"], result.FailedRecipients);
        Assert.Equal(3, result.DeliveredConnections);
    }

    [Fact]
    public void A_shared_frame_counts_its_length_in_every_queue_it_joins()
    {
        var harness = new GatewayHarness();
        var connections = new[] { harness.Connect("alice"), harness.Connect("bob"), harness.Connect("bob") };
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);

        writer.Write(Batch("alice", "bob"));

        var length = new WsPacket { Push = Batch().Message }.CalculateSize();
        Assert.All(connections, c => Assert.Equal(length, c.QueuedBytes));
    }

    [Fact]
    public void Json_clients_share_one_json_encoding_and_protobuf_clients_one_binary_encoding()
    {
        var harness = new GatewayHarness();
        var json1 = harness.Connect("alice", FrameEncoding.Json);
        var json2 = harness.Connect("bob", FrameEncoding.Json);
        var binary = harness.Connect("bob");
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);

        writer.Write(Batch("alice", "bob"));

        var jsonFrame = ArrayOf(Assert.Single(GatewayHarness.Drain(json1)));
        Assert.Same(jsonFrame, ArrayOf(Assert.Single(GatewayHarness.Drain(json2))));
        var binaryFrame = ArrayOf(Assert.Single(GatewayHarness.Drain(binary)));
        Assert.NotSame(jsonFrame, binaryFrame);
        Assert.Equal(
            Contracts.ProtobufJson.Parser.Parse<WsPacket>(System.Text.Encoding.UTF8.GetString(jsonFrame)),
            WsPacket.Parser.ParseFrom(binaryFrame));
    }

    [Fact]
    public void Recipients_without_a_connection_here_are_reported_as_failed()
    {
        var harness = new GatewayHarness();
        harness.Connect("alice");
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);

        var result = writer.Write(Batch("alice", "ghost", "phantom"));

        Assert.Equal(["ghost", "phantom"], result.FailedRecipients);
        Assert.Equal(1, result.DeliveredConnections);
        Assert.Equal((1, 3, 2), (harness.Counters.PushBatches, harness.Counters.PushRecipients, harness.Counters.PushRecipientsMissing));
    }

    [Fact]
    public void A_connection_whose_queue_is_full_is_closed_as_a_slow_consumer_and_the_others_still_get_the_push()
    {
        var harness = new GatewayHarness(new GatewayOptions { OutboundQueueCapacity = 2 });
        var slow = harness.Connect("slow");
        var fine = harness.Connect("fine");
        var writer = new PushBatchWriter(harness.Registry, harness.Counters);

        for (var i = 0; i < 3; i++)
        {
            writer.Write(Batch("slow", "fine"));
            GatewayHarness.Drain(fine);
        }

        Assert.True(slow.IsClosing);
        Assert.False(fine.IsClosing);
        Assert.Equal(1, harness.Counters.SlowConsumerCloses);
    }

    private static PushBatch Batch(params string[] recipients)
    {
        var batch = new PushBatch { Message = new Push { SessionId = "s1", Seq = 1, MsgId = "m1", From = "alice", Content = "hello" } };
        batch.Recipients.AddRange(recipients);
        return batch;
    }

    private static byte[] ArrayOf(ReadOnlyMemory<byte> frame)
    {
        Assert.True(MemoryMarshal.TryGetArray(frame, out var segment));
        Assert.Equal((0, segment.Array!.Length), (segment.Offset, segment.Count));
        return segment.Array;
    }
}
