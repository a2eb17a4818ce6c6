using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

/// <summary>
/// After a refused send the connection's next frame is read only once the bucket has a token again (at most
/// <see cref="GatewayOptions.MaxRefusedSendPause"/>): the read loop awaits the handler, so a flooding client is
/// slowed by TCP back-pressure instead of being answered as fast as it can send.
/// </summary>
public sealed class RefusedSendPauseTests
{
    [Fact]
    public async Task A_refused_send_holds_the_connections_reading_for_its_retry_after_at_most_the_cap()
    {
        var options = new GatewayOptions { ConnectionSendRate = 1, ConnectionSendBurst = 1, UserSendRate = 0, SendRatePeriod = TimeSpan.FromHours(1), MaxRefusedSendPause = TimeSpan.FromSeconds(2) };
        var harness = new GatewayHarness(options);
        using var limits = new SendRateLimiter(Options.Create(options));
        var handler = new PacketHandler(new AnsweringLogic(), limits, harness.Counters, Options.Create(options), harness.Time, NullLogger<PacketHandler>.Instance);
        var connection = harness.Connect("alice");

        await handler.HandleAsync(connection, Send("c1")); // the bucket's one token: stored at once
        var refused = handler.HandleAsync(connection, Send("c2"));

        Assert.False(refused.IsCompleted); // answered, but the next frame waits
        harness.Time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(refused.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(0.1)); // the cap, long before the hour the bucket needs
        await refused.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, harness.Counters.SendsRateLimited);
    }

    [Fact]
    public async Task Without_a_pause_a_refused_send_returns_at_once()
    {
        var options = new GatewayOptions { ConnectionSendRate = 1, ConnectionSendBurst = 1, UserSendRate = 0, SendRatePeriod = TimeSpan.FromHours(1), MaxRefusedSendPause = TimeSpan.Zero };
        var harness = new GatewayHarness(options);
        using var limits = new SendRateLimiter(Options.Create(options));
        var handler = new PacketHandler(new AnsweringLogic(), limits, harness.Counters, Options.Create(options), harness.Time, NullLogger<PacketHandler>.Instance);
        var connection = harness.Connect("alice");

        await handler.HandleAsync(connection, Send("c1"));

        Assert.True(handler.HandleAsync(connection, Send("c2")).IsCompletedSuccessfully);
    }

    private static ReadOnlyMemory<byte> Send(string clientMsgId) =>
        PacketCodec.Encode(new WsPacket { Send = new SendCommand { SessionId = "g_1", ClientMsgId = clientMsgId, Content = "hi" } }, FrameEncoding.Protobuf);
}
