using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Resonance.Contracts;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

public sealed class SqliteSessionStoreTests
{
    private static readonly DateTimeOffset Now = new(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);

    [Fact]
    public async Task Sessions_members_and_messages_survive_a_new_store_on_the_same_directory()
    {
        await using var harness = new LogicHarness();
        var group = await harness.CreateGroupAsync("alice", "bob");
        var direct = await harness.CreateDirectAsync("alice", "carol");
        await harness.AddMembersAsync("alice", group, "dave");
        var acks = new[]
        {
            await harness.SendAsync("alice", group, "c1", "one"),
            await harness.SendAsync("dave", group, "c2", "two"),
            await harness.SendAsync("bob", group, "c3", "three"),
        };
        var before = await harness.Store.ReadAsync(group, 0, 10, CancellationToken.None);

        await harness.RestartAsync();

        var head = await harness.Store.LoadAsync(group, CancellationToken.None);
        Assert.NotNull(head);
        Assert.Equal((group, SessionKinds.Group, "team", 2L, 3L), (head.SessionId, head.Kind, head.Name, head.MembersVersion, head.LastSeq));
        Assert.Equal(["alice", "bob", "dave"], head.Members);
        var directHead = await harness.Store.LoadAsync(direct, CancellationToken.None);
        Assert.Equal((SessionKinds.Direct, 0L, "alice carol"), (directHead!.Kind, directHead.LastSeq, string.Join(' ', directHead.Members)));

        var after = await harness.Store.ReadAsync(group, 0, 10, CancellationToken.None);
        Assert.Equal(before, after);
        Assert.Equal(acks, after.Select(m => m.ToAck()));
        Assert.Equal(["one", "two", "three"], after.Select(m => m.Content));
        Assert.Equal(4, (await harness.SendAsync("alice", group, "c4")).Seq);
    }

    [Fact]
    public async Task Loading_an_unknown_session_returns_null()
    {
        await using var harness = new LogicHarness();

        Assert.Null(await harness.Store.LoadAsync(SessionIds.NewGroup(), CancellationToken.None));
    }

    [Fact]
    public async Task Creating_a_session_whose_id_is_taken_returns_false_and_changes_nothing()
    {
        await using var harness = new LogicHarness();
        var head = Head("s1", "alice", "bob");
        var impostor = head with { Name = "impostor", Members = ["mallory"] };

        var first = await harness.Store.CreateAsync(head, Now, CancellationToken.None);
        var second = await harness.Store.CreateAsync(impostor, Now, CancellationToken.None);

        Assert.Equal((true, false), (first, second));
        var loaded = await harness.Store.LoadAsync("s1", CancellationToken.None);
        Assert.Equal(("", "alice bob"), (loaded!.Name, string.Join(' ', loaded.Members)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    public async Task An_append_at_a_seq_other_than_last_seq_plus_1_is_refused(long seq)
    {
        await using var harness = new LogicHarness();
        await harness.Store.CreateAsync(Head("s1", "alice"), Now, CancellationToken.None);
        await harness.Store.AppendAsync(Message("s1", 1), CancellationToken.None);

        Assert.Equal(AppendResult.SeqConflict, await harness.Store.AppendAsync(Message("s1", seq, "late"), CancellationToken.None));
        Assert.Equal(AppendResult.SeqConflict, await harness.Store.AppendAsync(Message("s1", 1, "again") with { ClientMsgId = "other" }, CancellationToken.None));

        Assert.Equal(1, (await harness.Store.LoadAsync("s1", CancellationToken.None))!.LastSeq);
        Assert.Equal([Message("s1", 1)], await harness.Store.ReadAsync("s1", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task An_append_to_an_unknown_session_is_refused()
    {
        await using var harness = new LogicHarness();

        Assert.Equal(AppendResult.SeqConflict, await harness.Store.AppendAsync(Message("nowhere", 1), CancellationToken.None));

        Assert.Empty(await harness.Store.ReadAsync("nowhere", 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task An_append_repeating_a_client_msg_id_stores_nothing_and_leaves_last_seq_unchanged()
    {
        await using var harness = new LogicHarness();
        await harness.Store.CreateAsync(Head("s1", "alice"), Now, CancellationToken.None);
        Assert.Equal(AppendResult.Appended, await harness.Store.AppendAsync(Message("s1", 1), CancellationToken.None));

        Assert.Equal(AppendResult.DuplicateClientMsgId, await harness.Store.AppendAsync(Message("s1", 2) with { ClientMsgId = "c1" }, CancellationToken.None));

        Assert.Equal(1, (await harness.Store.LoadAsync("s1", CancellationToken.None))!.LastSeq);
        await harness.Store.AppendAsync(Message("s1", 2), CancellationToken.None);
        Assert.Equal([1L, 2], (await harness.Store.ReadAsync("s1", 0, 10, CancellationToken.None)).Select(m => m.Seq));
    }

    [Fact]
    public async Task A_refused_append_fails_alone_among_writes_committed_together()
    {
        await using var harness = new LogicHarness();
        string[] sessions = ["s0", "s1", "s2", "s3", "s4", "s5"];
        foreach (var id in sessions)
        {
            await harness.Store.CreateAsync(Head(id, "alice"), Now, CancellationToken.None);
        }

        // Hold the database's write lock so the appends queue up behind it and commit as one group.
        await using var blocker = new SqliteConnection($"Data Source={Path.Combine(harness.Directory, "resonance.db")};Pooling=False");
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }

        var good = new Dictionary<string, Task<AppendResult>>();
        good["s0"] = harness.Store.AppendAsync(Message("s0", 1), CancellationToken.None);
        good["s1"] = harness.Store.AppendAsync(Message("s1", 1), CancellationToken.None);
        good["s2"] = harness.Store.AppendAsync(Message("s2", 1), CancellationToken.None);
        var bad = harness.Store.AppendAsync(Message("s3", 5), CancellationToken.None);
        good["s4"] = harness.Store.AppendAsync(Message("s4", 1), CancellationToken.None);
        good["s5"] = harness.Store.AppendAsync(Message("s5", 1), CancellationToken.None);
        Assert.All(good.Values.Append(bad), t => Assert.False(t.IsCompleted));

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }

        Assert.All(await Task.WhenAll(good.Values).WaitAsync(TimeSpan.FromSeconds(30)), result => Assert.Equal(AppendResult.Appended, result));
        Assert.Equal(AppendResult.SeqConflict, await bad.WaitAsync(TimeSpan.FromSeconds(30)));
        foreach (var id in good.Keys)
        {
            Assert.Equal([Message(id, 1)], await harness.Store.ReadAsync(id, 0, 10, CancellationToken.None));
            Assert.Equal(1, (await harness.Store.LoadAsync(id, CancellationToken.None))!.LastSeq);
        }

        Assert.Empty(await harness.Store.ReadAsync("s3", 0, 10, CancellationToken.None));
        Assert.Equal(0, (await harness.Store.LoadAsync("s3", CancellationToken.None))!.LastSeq);
    }

    [Fact]
    public async Task Find_by_client_msg_id_matches_session_sender_and_id_exactly()
    {
        await using var harness = new LogicHarness();
        await harness.Store.CreateAsync(Head("s1", "alice", "bob"), Now, CancellationToken.None);
        await harness.Store.AppendAsync(Message("s1", 1), CancellationToken.None);

        Assert.Equal(Message("s1", 1), await harness.Store.FindByClientMsgIdAsync("s1", "alice", "c1", CancellationToken.None));
        Assert.Null(await harness.Store.FindByClientMsgIdAsync("s1", "bob", "c1", CancellationToken.None));
        Assert.Null(await harness.Store.FindByClientMsgIdAsync("s1", "alice", "C1", CancellationToken.None));
        Assert.Null(await harness.Store.FindByClientMsgIdAsync("s2", "alice", "c1", CancellationToken.None));
    }

    private static SessionHead Head(string id, params string[] members) =>
        new(id, SessionKinds.Group, "", [.. members.Order(StringComparer.Ordinal)], 1, 0);

    private static StoredMessage Message(string sessionId, long seq, string? content = null) =>
        new(sessionId, seq, $"{sessionId}-{seq}", "alice", $"c{seq}", content ?? $"#{seq}", Now.AddSeconds(seq));

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused_while_the_first_is_open()
    {
        await using var harness = new LogicHarness();

        var refused = Assert.Throws<InvalidOperationException>(() => LogicHarness.OpenStore(harness.Directory));

        Assert.Contains("in use by another Resonance process", refused.Message, StringComparison.Ordinal);
    }
}
