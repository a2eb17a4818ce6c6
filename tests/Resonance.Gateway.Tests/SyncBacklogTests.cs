using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

/// <summary>
/// Syncs are refused while a connection's queue holds half its byte budget. The connection here has no socket, so
/// nothing leaves its queue until the test takes it: what is queued does not depend on how much the kernel's
/// TCP buffers would have absorbed (the end-to-end test over loopback cannot pin that down).
/// </summary>
public sealed class SyncBacklogTests
{
    [Fact]
    public async Task Syncs_are_refused_once_the_queue_holds_half_its_byte_budget_and_answered_again_once_it_is_taken()
    {
        var options = new GatewayOptions { OutboundQueueBytes = 64 * 1024, OutboundQueueCapacity = 1_000 };
        var harness = new GatewayHarness(options);
        using var limits = new SendRateLimiter(Options.Create(options));
        var handler = new PacketHandler(new AnsweringLogic(syncContentLength: 10_000), limits, harness.Counters, Options.Create(options), harness.Time, NullLogger<PacketHandler>.Instance);
        var connection = harness.Connect("carol");
        GatewayHarness.Drain(connection); // nothing queued yet; the welcome is the endpoint's

        for (var i = 0; i < 6; i++)
        {
            await handler.HandleAsync(connection, Sync($"r{i}"));
        }

        // Pages of ~10 KB: after four the queue holds more than 32 KiB, so the fifth and sixth are refused.
        var first = GatewayHarness.Drain(connection).Select(frame => WsPacket.Parser.ParseFrom(frame.Span)).ToList();
        await handler.HandleAsync(connection, Sync("after"));
        var after = WsPacket.Parser.ParseFrom(Assert.Single(GatewayHarness.Drain(connection)).Span);

        Assert.Equal(
            ["page r0", "page r1", "page r2", "page r3", $"{ErrorCodes.Unavailable} r4", $"{ErrorCodes.Unavailable} r5"],
            first.Select(p => p.BodyCase == WsPacket.BodyOneofCase.SyncResult ? $"page {p.SyncResult.RequestId}" : $"{p.Error.Code} {p.Error.RequestId}"));
        Assert.Equal(("after", 1), (after.SyncResult.RequestId, after.SyncResult.Messages.Count));
        Assert.Equal(2, harness.Counters.SyncsRefused);
    }

    private static ReadOnlyMemory<byte> Sync(string requestId) =>
        PacketCodec.Encode(new WsPacket { Sync = new SyncCommand { SessionId = "g_1", RequestId = requestId } }, FrameEncoding.Protobuf);
}
