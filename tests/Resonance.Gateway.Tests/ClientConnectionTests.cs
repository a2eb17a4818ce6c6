namespace Resonance.Gateway.Tests;

public sealed class ClientConnectionTests
{
    private const int Budget = 64 * 1024;

    [Fact]
    public void A_frame_that_would_take_the_queue_past_its_byte_budget_closes_the_connection_as_a_slow_consumer()
    {
        var harness = new GatewayHarness(new GatewayOptions { OutboundQueueBytes = Budget });
        var connection = harness.Connect("alice");

        var fits = connection.TryEnqueue(new byte[40 * 1024]) && connection.TryEnqueue(new byte[24 * 1024]);
        var queuedWhenFull = connection.QueuedBytes;
        var overflows = connection.TryEnqueue(new byte[1]);

        Assert.True(fits);
        Assert.False(overflows);
        Assert.Equal(Budget, queuedWhenFull);
        Assert.True(connection.IsClosing);
        Assert.Equal(1, harness.Counters.SlowConsumerCloses);
    }

    [Fact]
    public void A_frame_larger_than_the_byte_budget_goes_through_an_empty_queue_and_is_counted_until_taken()
    {
        var harness = new GatewayHarness(new GatewayOptions { OutboundQueueBytes = Budget });
        var connection = harness.Connect("alice");

        var taken = connection.TryEnqueue(new byte[Budget + 1]);
        var queued = connection.QueuedBytes;
        var frames = GatewayHarness.Drain(connection);

        Assert.True(taken);
        Assert.Equal(Budget + 1, queued);
        Assert.Equal(Budget + 1, Assert.Single(frames).Length);
        Assert.Equal(0, connection.QueuedBytes);
        Assert.False(connection.IsClosing);
    }

    [Fact]
    public void A_connection_is_backlogged_from_half_its_byte_budget_on()
    {
        var harness = new GatewayHarness(new GatewayOptions { OutboundQueueBytes = Budget });
        var connection = harness.Connect("alice");

        connection.TryEnqueue(new byte[(Budget / 2) - 1]);
        var belowHalf = connection.IsBacklogged;
        connection.TryEnqueue(new byte[1]);

        Assert.False(belowHalf);
        Assert.True(connection.IsBacklogged);
    }

    [Fact]
    public void A_connection_is_closed_when_its_token_expires_and_not_a_moment_before()
    {
        var harness = new GatewayHarness();
        var connection = harness.Connect("alice");

        connection.CloseWhenTokenExpires(harness.Time.GetUtcNow() + TimeSpan.FromMinutes(10));
        harness.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        var closingBefore = connection.IsClosing;
        harness.Time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(closingBefore);
        Assert.True(connection.IsClosing);
        Assert.Equal(1, harness.Counters.TokenExpiryCloses);
    }

    [Fact]
    public void An_expiry_beyond_any_timer_arms_nothing()
    {
        var harness = new GatewayHarness();
        var connection = harness.Connect("alice");

        connection.CloseWhenTokenExpires(harness.Time.GetUtcNow() + TimeSpan.FromDays(400));
        harness.Time.Advance(TimeSpan.FromDays(60));

        Assert.False(connection.IsClosing);
    }
}
