using Microsoft.Extensions.Time.Testing;
using Resonance.Gateway;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task Pings_at_the_interval_the_welcome_names()
    {
        await using var server = await StandaloneServer.StartAsync();
        var counters = server.GetRequiredService<GatewayCounters>();
        var time = new FakeTimeProvider();
        await using var alice = new ResonanceClient(server.WebSocketAddress, await server.GetTokenAsync("alice"), TestClients.Fast(), time);
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);
        var interval = TimeSpan.FromSeconds(alice.Welcome!.HeartbeatIntervalSeconds);
        var before = counters.FramesReceived;

        for (var beat = 1; beat <= 3; beat++)
        {
            time.Advance(interval - TimeSpan.FromMilliseconds(1));
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.TrueAsync(() => counters.FramesReceived - before >= beat, $"ping {beat} arrived");
        }

        Assert.Equal(3, counters.FramesReceived - before);
    }

    [Fact]
    public async Task Pings_keep_a_quiet_connection_open_past_the_idle_timeout()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:IdleTimeout"] = "00:00:02",
            ["Gateway:HeartbeatInterval"] = "00:00:01",
        });
        var counters = server.GetRequiredService<GatewayCounters>();
        await using var alice = new ResonanceClient(server.WebSocketAddress, await server.GetTokenAsync("alice"), TestClients.Fast());
        var states = new StateRecorder(alice);
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);
        await states.WaitForAsync(ConnectionState.Connected);

        // Three pings a second apart span more than the 2 s idle timeout plus the sweeper's period.
        await Eventually.TrueAsync(() => counters.FramesReceived >= 3, "three pings arrived");

        Assert.Equal(0, counters.IdleCloses);
        Assert.Empty(states.Unread());
        Assert.Equal(ConnectionState.Connected, alice.State);
    }
}
