using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class PushTests
{
    [Theory]
    [InlineData(WireEncoding.Protobuf)]
    [InlineData(WireEncoding.Json)]
    public async Task Second_client_receives_each_push_once_in_seq_order(WireEncoding encoding)
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"), TestClients.Fast(encoding));
        var bySession = new PushRecorder();
        var all = new PushRecorder();
        using var sessionSubscription = bob.Subscribe(session, bySession.Record);
        using var allSubscription = bob.SubscribeAll(all.Record);

        var acks = await Task.WhenAll(Enumerable.Range(1, 25).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        var pushes = await bySession.NextAsync(25);
        var fromAll = await all.NextAsync(25);

        Assert.Equal(TestClients.Seqs(1, 25), pushes.Select(p => p.Seq));
        Assert.Equal(acks.Select(a => a.MsgId), pushes.Select(p => p.MsgId));
        Assert.All(pushes, p => Assert.Equal("alice", p.From));
        Assert.Equal(pushes.Select(p => p.MsgId), fromAll.Select(p => p.MsgId));

        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(26, Assert.Single(await bySession.NextAsync(1)).Seq);
        Assert.Equal(26, Assert.Single(await all.NextAsync(1)).Seq);
    }

    [Fact]
    public async Task All_sessions_subscription_keeps_each_session_in_order()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var first = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        var second = await server.CreateSessionAsync(aliceToken, SessionKinds.Direct, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"));
        var all = new PushRecorder();
        using var subscription = bob.SubscribeAll(all.Record);

        var sends = new List<Task<SendAck>>();
        for (var i = 1; i <= 10; i++)
        {
            sends.Add(alice.SendAsync(first, $"a{i}"));
            sends.Add(alice.SendAsync(second, $"b{i}"));
        }

        await Task.WhenAll(sends).WaitAsync(Timeouts.Default);
        var pushes = await all.NextAsync(20);

        Assert.Equal(TestClients.Seqs(1, 10), pushes.Where(p => p.SessionId == first).Select(p => p.Seq));
        Assert.Equal(TestClients.Seqs(1, 10), pushes.Where(p => p.SessionId == second).Select(p => p.Seq));
    }

    [Fact]
    public async Task Catch_up_sync_pages_until_nothing_is_left()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await Task.WhenAll(Enumerable.Range(1, 12).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        var options = TestClients.Fast();
        options.SyncPageSize = 5;
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"), options);
        var recorder = new PushRecorder();
        using var subscription = bob.Subscribe(session, recorder.Record);

        // Track catches 3..12 up in pages of 5 while m13 may arrive as a push in the middle: it waits for the sync.
        bob.Track(session, 2);
        await alice.SendAsync(session, "m13").WaitAsync(Timeouts.Default);
        var pushes = await recorder.NextAsync(11);

        Assert.Equal(TestClients.Seqs(3, 13), pushes.Select(p => p.Seq));
        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(14, Assert.Single(await recorder.NextAsync(1)).Seq);
    }

    [Fact]
    public async Task Pushes_at_or_below_the_tracked_seq_are_dropped()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);
        await using var bob = await TestClients.ConnectAsync(server, await server.GetTokenAsync("bob"));
        var recorder = new PushRecorder();
        using var subscription = bob.Subscribe(session, recorder.Record);

        // Bob's app claims it already holds 1..3 (e.g. from local storage); their pushes must not be delivered.
        bob.Track(session, 3);
        await Task.WhenAll(Enumerable.Range(1, 5).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        var pushes = await recorder.NextAsync(2);

        Assert.Equal(TestClients.Seqs(4, 5), pushes.Select(p => p.Seq));
        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(6, Assert.Single(await recorder.NextAsync(1)).Seq);
    }
}
