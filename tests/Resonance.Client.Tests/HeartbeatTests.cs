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

    [Fact]
    public async Task A_server_interval_longer_than_the_server_timeout_does_not_drop_a_healthy_connection()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var time = new FakeTimeProvider();
        var options = FakeClients.Options();
        options.ServerTimeout = TimeSpan.FromSeconds(90);
        await using var client = new ResonanceClient(gateway.Address, "token", options, time);
        var states = new StateRecorder(client);
        var recorder = new PushRecorder();
        using var subscription = client.Subscribe("s-1", recorder.Record);

        // The server asks for a ping every 120 s, beyond the client's 90 s, and answers every one.
        var connection = await FakeClients.ConnectAsync(client, gateway, heartbeatIntervalSeconds: 120, answerPings: true);
        await states.WaitForAsync(ConnectionState.Connected);
        for (var beat = 1; beat <= 4; beat++)
        {
            time.Advance(TimeSpan.FromSeconds(120));
            await Eventually.TrueAsync(() => connection.Pings >= beat, $"ping {beat} arrived");

            // The push follows the pong on the socket: once it is delivered, the client has read the pong.
            await connection.PushAsync("s-1", beat);
            Assert.Equal(beat, Assert.Single(await recorder.NextAsync(1)).Seq);
        }

        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.DoesNotContain(states.Unread(), change => change.Current != ConnectionState.Connected);
        Assert.Equal(1, gateway.Connections);
    }

    [Fact]
    public async Task A_server_that_answers_no_ping_is_dropped_after_two_and_a_half_intervals()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var time = new FakeTimeProvider();
        var options = FakeClients.Options();
        options.ServerTimeout = TimeSpan.FromSeconds(90);
        await using var client = new ResonanceClient(gateway.Address, "token", options, time);
        var states = new StateRecorder(client);
        var connection = await FakeClients.ConnectAsync(client, gateway, heartbeatIntervalSeconds: 120);
        await states.WaitForAsync(ConnectionState.Connected);

        // Silent since the welcome: 240 s by the second beat is within max(90, 2.5 × 120) = 300 s, 360 s by the third is not.
        time.Advance(TimeSpan.FromSeconds(120));
        time.Advance(TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync(() => connection.Pings >= 2, "two pings arrived");
        Assert.Equal(ConnectionState.Connected, client.State);
        time.Advance(TimeSpan.FromSeconds(120));

        var dropped = await states.WaitForAsync(ConnectionState.Disconnected);
        Assert.IsType<TimeoutException>(dropped.Exception);
    }

    [Fact]
    public async Task An_explicit_interval_not_shorter_than_the_server_timeout_is_rejected()
    {
        var endpoint = new Uri("ws://localhost/ws");
        Assert.Throws<ArgumentException>(() => new ResonanceClient(endpoint, "t", new ResonanceClientOptions { HeartbeatInterval = TimeSpan.FromSeconds(90), ServerTimeout = TimeSpan.FromSeconds(90) }));
        Assert.Throws<ArgumentException>(() => new ResonanceClient(endpoint, "t", new ResonanceClientOptions { HeartbeatInterval = TimeSpan.FromSeconds(120), ServerTimeout = TimeSpan.FromSeconds(90) }));

        // Shorter, infinite (no pings) or null (the welcome's) are fine.
        await using var shorter = new ResonanceClient(endpoint, "t", new ResonanceClientOptions { HeartbeatInterval = TimeSpan.FromSeconds(30), ServerTimeout = TimeSpan.FromSeconds(90) });
        await using var infinite = new ResonanceClient(endpoint, "t", new ResonanceClientOptions { HeartbeatInterval = Timeout.InfiniteTimeSpan, ServerTimeout = TimeSpan.FromSeconds(1) });
        await using var fromWelcome = new ResonanceClient(endpoint, "t", new ResonanceClientOptions { HeartbeatInterval = null, ServerTimeout = TimeSpan.FromSeconds(1) });
    }
}
