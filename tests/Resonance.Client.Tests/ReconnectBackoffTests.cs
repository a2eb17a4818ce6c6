using Resonance.Client.Internal;

namespace Resonance.Client.Tests;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_double_from_the_initial_delay_up_to_the_cap()
    {
        var options = new ResonanceClientOptions { ReconnectJitter = 0 };

        var delays = Enumerable.Range(0, 10).Select(attempt => ReconnectBackoff.Delay(attempt, options, new Random(1)).TotalMilliseconds);

        Assert.Equal([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000], delays);
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectBackoff.Delay(int.MaxValue, options, new Random(1)));
    }

    [Fact]
    public void Jitter_takes_up_to_its_share_off_each_delay()
    {
        var options = new ResonanceClientOptions { ReconnectJitter = 0.5 };
        var random = new Random(42);

        for (var attempt = 0; attempt < 200; attempt++)
        {
            var full = Math.Min(500 * Math.Pow(2, Math.Min(attempt, 20)), 30_000);
            var delay = ReconnectBackoff.Delay(attempt, options, random).TotalMilliseconds;
            Assert.InRange(delay, full / 2, full);
        }
    }

    [Fact]
    public void Options_that_cannot_work_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ResonanceClient(new Uri("ws://localhost/ws"), "t", new ResonanceClientOptions { ReconnectJitter = 2 }));
        Assert.Throws<ArgumentException>(() => new ResonanceClient(new Uri("ws://localhost/ws"), "t", new ResonanceClientOptions { MaxReconnectDelay = TimeSpan.FromMilliseconds(1) }));
    }
}
