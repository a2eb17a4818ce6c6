using Resonance.Contracts;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class SyncTests
{
    [Fact]
    public async Task Sync_pages_through_a_session_oldest_first()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);

        var first = await alice.SyncAsync(session, 0, 5).WaitAsync(Timeouts.Default);
        var second = await alice.SyncAsync(session, 5, 5).WaitAsync(Timeouts.Default);

        Assert.Equal(TestClients.Seqs(1, 5), first.Messages.Select(m => m.Seq));
        Assert.True(first.HasMore);
        Assert.Equal(8, first.LastSeq);
        Assert.Equal(TestClients.Seqs(6, 8), second.Messages.Select(m => m.Seq));
        Assert.False(second.HasMore);
        Assert.Equal(["m6", "m7", "m8"], second.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task Concurrent_syncs_each_get_their_own_result()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var a = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        var b = await server.CreateSessionAsync(token, SessionKinds.Group, "carol");
        await using var alice = await TestClients.ConnectAsync(server, token);
        await Task.WhenAll(Enumerable.Range(1, 6).SelectMany(i => new[] { alice.SendAsync(a, $"a{i}"), alice.SendAsync(b, $"b{i}") })).WaitAsync(Timeouts.Default);

        var syncs = new[]
        {
            alice.SyncAsync(a, 0, 2),
            alice.SyncAsync(b, 3),
            alice.SyncAsync(a, 2, 2),
            alice.SyncAsync(b, 0, 1),
            alice.SyncAsync(a, 4),
        };
        var results = await Task.WhenAll(syncs).WaitAsync(Timeouts.Default);

        Assert.Equal(["a1", "a2"], results[0].Messages.Select(m => m.Content));
        Assert.Equal(["b4", "b5", "b6"], results[1].Messages.Select(m => m.Content));
        Assert.Equal(["a3", "a4"], results[2].Messages.Select(m => m.Content));
        Assert.Equal(["b1"], results[3].Messages.Select(m => m.Content));
        Assert.Equal(["a5", "a6"], results[4].Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_rejected_sync_faults_only_its_own_request()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var mine = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        var theirs = await server.CreateSessionAsync(await server.GetTokenAsync("carol"), SessionKinds.Group, "dave");
        await using var alice = await TestClients.ConnectAsync(server, token);
        await alice.SendAsync(mine, "hello").WaitAsync(Timeouts.Default);

        // The error packet names the rejected sync's request id, so it faults the middle one only.
        var before = alice.SyncAsync(mine, 0);
        var rejected = alice.SyncAsync(theirs, 0);
        var after = alice.SyncAsync(mine, 0);

        var error = await Assert.ThrowsAsync<ResonanceException>(() => rejected.WaitAsync(Timeouts.Default));
        Assert.Equal(ErrorCodes.SessionNotFound, error.Code);
        Assert.Equal(["hello"], (await before.WaitAsync(Timeouts.Default)).Messages.Select(m => m.Content));
        Assert.Equal(["hello"], (await after.WaitAsync(Timeouts.Default)).Messages.Select(m => m.Content));
    }
}
