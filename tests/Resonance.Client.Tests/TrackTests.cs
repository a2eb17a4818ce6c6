using Resonance.Contracts;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class TrackTests
{
    [Fact]
    public async Task Track_on_a_connected_client_catches_a_quiet_session_up_page_by_page()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        var other = await server.CreateSessionAsync(aliceToken, SessionKinds.Direct, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await Task.WhenAll(Enumerable.Range(1, 7).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        await Task.WhenAll(Enumerable.Range(1, 3).Select(i => alice.SendAsync(other, $"o{i}"))).WaitAsync(Timeouts.Default);
        var options = TestClients.Fast();
        options.SyncPageSize = 2;
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"), options);
        var recorder = new PushRecorder();
        using var subscription = bob.SubscribeAll(recorder.Record);

        // Both sessions are quiet: no push will come to reveal what bob misses. Track alone must catch them up,
        // as the README's example expects.
        bob.Track(session, 2);
        var caughtUp = await recorder.NextAsync(5);
        bob.Track(other, 0);
        caughtUp.AddRange(await recorder.NextAsync(3));

        Assert.Equal(TestClients.Seqs(3, 7), caughtUp.Where(p => p.SessionId == session).Select(p => p.Seq));
        Assert.Equal(["o1", "o2", "o3"], caughtUp.Where(p => p.SessionId == other).Select(p => p.Content));
        Assert.Equal(7, bob.GetLastSeq(session));
        Assert.Equal(3, bob.GetLastSeq(other));

        // Nothing was delivered twice: the next message follows at once.
        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(8, Assert.Single(await recorder.NextAsync(1)).Seq);
    }

    [Fact]
    public async Task A_session_tracked_before_connecting_is_caught_up_by_the_connect_and_a_lower_mark_changes_nothing()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);

        // Tracked before connecting: the connect catches it up from 0.
        var bob = new ResonanceClient(server.WebSocketAddress, await server.GetTokenAsync("bob"), TestClients.Fast());
        await using var disposeBob = bob;
        var recorder = new PushRecorder();
        using var subscription = bob.Subscribe(session, recorder.Record);
        bob.Track(session, 0);
        await bob.ConnectAsync().WaitAsync(Timeouts.Default);
        Assert.Equal(TestClients.Seqs(1, 5), (await recorder.NextAsync(5)).Select(p => p.Seq));

        // A mark behind what was delivered changes nothing and syncs nothing.
        bob.Track(session, 3);
        Assert.Equal(5, bob.GetLastSeq(session));
        await alice.SendAsync(session, "m6").WaitAsync(Timeouts.Default);
        Assert.Equal(6, Assert.Single(await recorder.NextAsync(1)).Seq);
    }
}
