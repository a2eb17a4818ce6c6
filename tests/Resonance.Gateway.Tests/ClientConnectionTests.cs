namespace Resonance.Gateway.Tests;

public sealed class ClientConnectionTests
{
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
