namespace Resonance.Logic.Tests;

public sealed class SessionDirectoryTests
{
    [Fact]
    public async Task Past_the_limit_idle_sessions_are_dropped_and_reload_with_their_seq()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxLoadedSessions = 10 });
        var sessions = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var session = await harness.CreateGroupAsync("alice", "bob");
            await harness.SendAsync("alice", session, "first");
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            sessions.Add(session);
        }

        Assert.InRange(harness.Sessions.LoadedCount, 1, 10);

        foreach (var session in sessions)
        {
            Assert.Equal(2, (await harness.SendAsync("alice", session, "second")).Seq);
        }
    }

    [Fact]
    public async Task Dropping_sessions_while_commands_run_keeps_every_sessions_seqs_unique_and_gapless()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxLoadedSessions = 10 });
        var sessions = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            sessions.Add(await harness.CreateGroupAsync("alice", "bob"));
        }

        var sends = sessions.SelectMany(session => Enumerable.Range(0, 10).Select(n => (session, n)))
            .Select(x => harness.SendAsync(x.n % 2 == 0 ? "alice" : "bob", x.session, $"m{x.n}"))
            .ToList();
        var acks = await Task.WhenAll(sends);

        Assert.All(acks.GroupBy(a => a.SessionId), g => Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), g.Select(a => a.Seq).Order()));
        Assert.InRange(harness.Sessions.LoadedCount, 1, 10);
    }

    [Fact]
    public async Task Sessions_loaded_by_reads_count_against_the_limit_too()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxLoadedSessions = 10, DefaultPageSize = 10 });
        var sessions = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            sessions.Add(await harness.CreateGroupAsync("alice", "bob"));
        }

        foreach (var session in sessions)
        {
            await harness.SyncAsync("bob", session);
        }

        Assert.InRange(harness.Sessions.LoadedCount, 1, 10);
    }
}
