using System.Collections.Immutable;
using Resonance.Contracts;
using Resonance.Logic.Sessions;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>
/// What every engine's durable session state (<see cref="ISessionState"/>) must do, run against each engine's
/// adapter: SQLite on the Local engine, actor state through the sidecar on the Dapr engine. A scenario runs
/// against one session's state as its engine runs commands (one at a time); <see cref="ReopenAsync"/> is a
/// restart, after which only what is durable remains.
/// </summary>
public abstract class SessionStateContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <summary>Runs <paramref name="scenario"/> against the state of <paramref name="sessionId"/>, as the engine hosts it.</summary>
    protected abstract Task RunAsync(string sessionId, Func<ISessionState, Task> scenario);

    /// <summary>Drops everything held in memory (a restart, an actor deactivated): what follows reads what is stored.</summary>
    protected abstract Task ReopenAsync();

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_session_is_created_once_and_loads_as_it_was_stored_after_a_restart()
    {
        var id = SessionIds.NewGroup();
        var head = new SessionHead(id, SessionKinds.Group, "team", ImmutableSortedSet.Create(StringComparer.Ordinal, "alice", "bob"), 1, 0);
        await RunAsync(id, async state =>
        {
            Assert.Null(await state.LoadAsync(CancellationToken.None));
            Assert.True(await state.CreateAsync(head, Now, CancellationToken.None));
            Assert.False(await state.CreateAsync(head with { Name = "other" }, Now, CancellationToken.None));
        });

        await ReopenAsync();

        await RunAsync(id, async state => AssertHead(head, await state.LoadAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Added_members_and_their_version_are_stored()
    {
        var id = SessionIds.NewGroup();
        await RunAsync(id, async state =>
        {
            await state.CreateAsync(Head(id, "alice"), Now, CancellationToken.None);
            await state.AddMembersAsync(["carol", "bob"], 2, CancellationToken.None);
            await state.AddMembersAsync(["bob", "dave"], 3, CancellationToken.None);
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            var head = await state.LoadAsync(CancellationToken.None);
            Assert.Equal(["alice", "bob", "carol", "dave"], head!.Members);
            Assert.Equal(3, head.MembersVersion);
        });
    }

    [Fact]
    public async Task Appends_in_seq_order_read_back_whole_in_any_page_size_across_storage_pages()
    {
        // 120 messages cross the actor state's pages of 50; read in pages of 7 and all at once.
        var id = SessionIds.NewGroup();
        var written = Enumerable.Range(1, 120).Select(seq => Message(id, seq, seq % 2 == 0 ? "alice" : "bob", $"c{seq}")).ToList();
        await RunAsync(id, async state =>
        {
            await state.CreateAsync(Head(id, "alice", "bob"), Now, CancellationToken.None);
            foreach (var message in written)
            {
                Assert.Equal(AppendResult.Appended, await state.AppendAsync(message, CancellationToken.None));
            }
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(120, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
            Assert.Equal(written, await state.ReadAsync(0, 500, CancellationToken.None));
            var paged = new List<StoredMessage>();
            for (var page = await state.ReadAsync(0, 7, CancellationToken.None); page.Count > 0; page = await state.ReadAsync(page[^1].Seq, 7, CancellationToken.None))
            {
                Assert.True(page.Count <= 7);
                paged.AddRange(page);
            }

            Assert.Equal(written, paged);
            Assert.Equal(written.Skip(49).Take(3), await state.ReadAsync(49, 3, CancellationToken.None));
            Assert.Empty(await state.ReadAsync(120, 10, CancellationToken.None));
        });
    }

    [Fact]
    public async Task An_append_at_the_wrong_seq_is_a_conflict_and_stores_nothing()
    {
        var id = SessionIds.NewGroup();
        await RunAsync(id, async state =>
        {
            Assert.Equal(AppendResult.SeqConflict, await state.AppendAsync(Message(id, 1, "alice", "c0"), CancellationToken.None)); // no session yet
            await state.CreateAsync(Head(id, "alice"), Now, CancellationToken.None);
            Assert.Equal(AppendResult.Appended, await state.AppendAsync(Message(id, 1, "alice", "c1"), CancellationToken.None));
            Assert.Equal(AppendResult.SeqConflict, await state.AppendAsync(Message(id, 1, "alice", "c2"), CancellationToken.None)); // a repeat
            Assert.Equal(AppendResult.SeqConflict, await state.AppendAsync(Message(id, 3, "alice", "c3"), CancellationToken.None)); // a gap
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(1, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
            Assert.Equal(["c1"], (await state.ReadAsync(0, 10, CancellationToken.None)).Select(m => m.ClientMsgId));
            Assert.Null(await state.FindByClientMsgIdAsync("alice", "c2", CancellationToken.None));
            Assert.Equal(AppendResult.Appended, await state.AppendAsync(Message(id, 2, "alice", "c2"), CancellationToken.None));
        });
    }

    [Fact]
    public async Task A_senders_repeated_client_message_id_is_a_duplicate_found_again_after_a_restart()
    {
        var id = SessionIds.NewGroup();
        var first = Message(id, 1, "alice", "same");
        await RunAsync(id, async state =>
        {
            await state.CreateAsync(Head(id, "alice", "bob"), Now, CancellationToken.None);
            Assert.Equal(AppendResult.Appended, await state.AppendAsync(first, CancellationToken.None));
            Assert.Equal(AppendResult.DuplicateClientMsgId, await state.AppendAsync(Message(id, 2, "alice", "same"), CancellationToken.None));
            Assert.Equal(AppendResult.Appended, await state.AppendAsync(Message(id, 2, "bob", "same"), CancellationToken.None)); // another sender's id
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(first, await state.FindByClientMsgIdAsync("alice", "same", CancellationToken.None));
            Assert.Equal(2, (await state.FindByClientMsgIdAsync("bob", "same", CancellationToken.None))!.Seq);
            Assert.Null(await state.FindByClientMsgIdAsync("carol", "same", CancellationToken.None));
            Assert.Equal(AppendResult.DuplicateClientMsgId, await state.AppendAsync(Message(id, 3, "alice", "same"), CancellationToken.None));
            Assert.Equal(2, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
        });
    }

    [Fact]
    public async Task A_batch_appends_in_one_write_across_storage_pages_and_reads_back_whole_after_a_restart()
    {
        // 45 then 30 messages: the second batch crosses the actor state's page boundary at 50.
        var id = SessionIds.NewGroup();
        var written = Enumerable.Range(1, 75).Select(seq => Message(id, seq, seq % 2 == 0 ? "alice" : "bob", $"c{seq}")).ToList();
        await RunAsync(id, async state =>
        {
            await state.CreateAsync(Head(id, "alice", "bob"), Now, CancellationToken.None);
            Assert.Equal(Enumerable.Repeat(AppendResult.Appended, 45), await state.AppendManyAsync(written[..45], CancellationToken.None));
            Assert.Equal(Enumerable.Repeat(AppendResult.Appended, 30), await state.AppendManyAsync(written[45..], CancellationToken.None));
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(75, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
            Assert.Equal(written, await state.ReadAsync(0, 500, CancellationToken.None));
            Assert.Equal(written[59], await state.FindByClientMsgIdAsync("alice", "c60", CancellationToken.None));
        });
    }

    [Fact]
    public async Task A_batch_stops_at_a_duplicate_keeping_the_messages_before_it_and_storing_none_after()
    {
        var id = SessionIds.NewGroup();
        await RunAsync(id, async state =>
        {
            await state.CreateAsync(Head(id, "alice"), Now, CancellationToken.None);
            Assert.Equal(AppendResult.Appended, await state.AppendAsync(Message(id, 1, "alice", "old"), CancellationToken.None));
            Assert.Equal(
                [AppendResult.Appended, AppendResult.DuplicateClientMsgId],
                await state.AppendManyAsync([Message(id, 2, "alice", "new1"), Message(id, 3, "alice", "old"), Message(id, 4, "alice", "new2")], CancellationToken.None));
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(2, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
            Assert.Equal(["old", "new1"], (await state.ReadAsync(0, 10, CancellationToken.None)).Select(m => m.ClientMsgId));
            Assert.Null(await state.FindByClientMsgIdAsync("alice", "new2", CancellationToken.None));
            Assert.Equal([AppendResult.Appended], await state.AppendManyAsync([Message(id, 3, "alice", "new2")], CancellationToken.None));
        });
    }

    [Fact]
    public async Task A_batch_at_the_wrong_seq_is_a_conflict_and_stores_nothing()
    {
        var id = SessionIds.NewGroup();
        await RunAsync(id, async state =>
        {
            Assert.Equal([AppendResult.SeqConflict], await state.AppendManyAsync([Message(id, 1, "alice", "c1")], CancellationToken.None)); // no session yet
            await state.CreateAsync(Head(id, "alice"), Now, CancellationToken.None);
            Assert.Equal([AppendResult.SeqConflict], await state.AppendManyAsync([Message(id, 2, "alice", "c2"), Message(id, 3, "alice", "c3")], CancellationToken.None));
        });

        await ReopenAsync();

        await RunAsync(id, async state =>
        {
            Assert.Equal(0, (await state.LoadAsync(CancellationToken.None))!.LastSeq);
            Assert.Empty(await state.ReadAsync(0, 10, CancellationToken.None));
        });
    }

    private static SessionHead Head(string id, params string[] members) =>
        new(id, SessionKinds.Group, "team", ImmutableSortedSet.Create(StringComparer.Ordinal, members), 1, 0);

    private static StoredMessage Message(string sessionId, long seq, string from, string clientMsgId) =>
        new(sessionId, seq, $"m-{sessionId}-{seq}", from, clientMsgId, $"content {seq} by {from}", Now.AddSeconds(seq));

    private static void AssertHead(SessionHead expected, SessionHead? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.SessionId, expected.Kind, expected.Name, expected.MembersVersion, expected.LastSeq), (actual.SessionId, actual.Kind, actual.Name, actual.MembersVersion, actual.LastSeq));
        Assert.Equal(expected.Members, actual.Members);
    }
}
