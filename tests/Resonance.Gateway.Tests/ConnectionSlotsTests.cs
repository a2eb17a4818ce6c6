using Microsoft.Extensions.Options;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

public sealed class ConnectionSlotsTests
{
    [Fact]
    public void A_user_gets_at_most_the_limit_of_slots_and_leaves_no_entry_once_all_are_back()
    {
        var slots = new ConnectionSlots(Options.Create(new GatewayOptions { MaxConnectionsPerUser = 2 }));

        Assert.True(slots.TryTake("alice"));
        Assert.True(slots.TryTake("alice"));
        Assert.False(slots.TryTake("alice"));
        Assert.True(slots.TryTake("bob"));
        slots.Release("alice");
        Assert.True(slots.TryTake("alice"));
        slots.Release("alice");
        slots.Release("alice");
        slots.Release("bob");

        Assert.Equal(0, slots.UserCount);
        Assert.Equal(0, slots.HeldBy("alice"));
    }

    [Fact]
    public async Task Concurrent_takes_never_pass_the_limit_and_every_release_is_counted()
    {
        var slots = new ConnectionSlots(Options.Create(new GatewayOptions { MaxConnectionsPerUser = 5 }));
        using var start = new Barrier(4);

        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            var mine = 0;
            for (var i = 0; i < 1_000; i++)
            {
                if (slots.TryTake("alice"))
                {
                    Assert.InRange(slots.HeldBy("alice"), 1, 5);
                    slots.Release("alice");
                    mine++;
                }
            }

            return mine;
        })));

        Assert.True(taken.Sum() > 0);
        Assert.Equal(0, slots.UserCount);
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        var slots = new ConnectionSlots(Options.Create(new GatewayOptions { MaxConnectionsPerUser = 0 }));

        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(slots.TryTake("alice")));
        Assert.Equal(100, slots.HeldBy("alice"));
    }
}
