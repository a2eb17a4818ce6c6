using Resonance.Contracts;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

public sealed class SyncTests
{
    [Theory]
    [InlineData(0, 3, new long[] { 1, 2, 3 }, true)]
    [InlineData(3, 3, new long[] { 4, 5, 6 }, true)]
    [InlineData(7, 3, new long[] { 8, 9, 10 }, false)]
    [InlineData(8, 5, new long[] { 9, 10 }, false)]
    [InlineData(0, 10, new long[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, false)]
    [InlineData(10, 3, new long[0], false)]
    [InlineData(50, 3, new long[0], false)]
    public async Task Sync_returns_the_messages_after_after_seq_up_to_limit_and_says_exactly_whether_more_exist(long afterSeq, int limit, long[] seqs, bool hasMore)
    {
        await using var harness = new LogicHarness();
        var session = await SessionWithMessagesAsync(harness, 10);

        var result = await harness.SyncAsync("bob", session, afterSeq, limit);

        Assert.Equal(session, result.SessionId);
        Assert.Equal(seqs, result.Messages.Select(m => m.Seq));
        Assert.Equal(seqs.Select(s => $"message {s}"), result.Messages.Select(m => m.Content));
        Assert.Equal(hasMore, result.HasMore);
        Assert.Equal(10, result.LastSeq);
    }

    [Fact]
    public async Task Paging_by_the_last_returned_seq_reads_every_message_once_in_order()
    {
        await using var harness = new LogicHarness();
        var session = await SessionWithMessagesAsync(harness, 10);

        var seen = new List<long>();
        var pages = 0;
        var afterSeq = 0L;
        while (true)
        {
            var page = await harness.SyncAsync("alice", session, afterSeq, 4);
            pages++;
            seen.AddRange(page.Messages.Select(m => m.Seq));
            if (!page.HasMore)
            {
                break;
            }

            afterSeq = page.Messages[^1].Seq;
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task A_limit_of_0_returns_the_default_page_size()
    {
        await using var harness = new LogicHarness(new LogicOptions { DefaultPageSize = 4, MaxPageSize = 8 });
        var session = await SessionWithMessagesAsync(harness, 10);

        var result = await harness.SyncAsync("alice", session, afterSeq: 0, limit: 0);

        Assert.Equal([1L, 2, 3, 4], result.Messages.Select(m => m.Seq));
        Assert.True(result.HasMore);
    }

    [Fact]
    public async Task A_default_page_that_reaches_the_end_has_no_more()
    {
        await using var harness = new LogicHarness(new LogicOptions { DefaultPageSize = 4 });
        var session = await SessionWithMessagesAsync(harness, 4);

        var result = await harness.SyncAsync("alice", session);

        Assert.Equal([1L, 2, 3, 4], result.Messages.Select(m => m.Seq));
        Assert.False(result.HasMore);
    }

    [Fact]
    public async Task A_limit_over_the_max_page_size_is_capped()
    {
        await using var harness = new LogicHarness(new LogicOptions { DefaultPageSize = 2, MaxPageSize = 5 });
        var session = await SessionWithMessagesAsync(harness, 10);

        var capped = await harness.SyncAsync("alice", session, afterSeq: 0, limit: 1000);
        var rest = await harness.SyncAsync("alice", session, afterSeq: 5, limit: 6);

        Assert.Equal([1L, 2, 3, 4, 5], capped.Messages.Select(m => m.Seq));
        Assert.True(capped.HasMore);
        Assert.Equal([6L, 7, 8, 9, 10], rest.Messages.Select(m => m.Seq));
        Assert.False(rest.HasMore);
    }

    [Fact]
    public async Task A_new_session_syncs_empty_with_last_seq_0()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");

        var result = await harness.SyncAsync("alice", session);

        Assert.Equal((session, 0L, false, 0), (result.SessionId, result.LastSeq, result.HasMore, result.Messages.Count));
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(0, -1)]
    public async Task A_negative_after_seq_or_limit_is_rejected(long afterSeq, int limit)
    {
        await using var harness = new LogicHarness();
        var session = await SessionWithMessagesAsync(harness, 2);

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("alice", session, afterSeq, limit));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task Sync_never_reports_a_last_seq_below_a_message_it_returns()
    {
        GatedReadStore? gated = null;
        await using var harness = new LogicHarness(wrapStore: store => gated = new GatedReadStore(store));
        var session = await SessionWithMessagesAsync(harness, 2);
        var gate = new TaskCompletionSource();
        gated!.ReadEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gated.ReadGate = gate.Task;

        var sync = harness.SyncAsync("alice", session);
        await gated.ReadEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.SendAsync("bob", session, "late");
        gate.SetResult();
        var result = await sync.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1L, 2, 3], result.Messages.Select(m => m.Seq));
        Assert.Equal(3, result.LastSeq);
    }

    [Fact]
    public async Task Not_found_costs_one_store_read_whether_the_session_exists_or_not()
    {
        CountingLoadStore? counting = null;
        await using var harness = new LogicHarness(wrapStore: store => counting = new CountingLoadStore(store));
        var existing = await harness.CreateDirectAsync("alice", "bob");
        var missing = SessionIds.ForDirect("alice", "carol");
        var reads = new List<int>();

        foreach (var sessionId in new[] { existing, missing, existing, missing })
        {
            var before = counting!.Loads;
            var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync("mallory", sessionId));
            Assert.Equal(ErrorCodes.SessionNotFound, error.Code);
            reads.Add(counting.Loads - before);
        }

        Assert.Equal([1, 1, 1, 1], reads);
    }

    private static async Task<string> SessionWithMessagesAsync(LogicHarness harness, int count)
    {
        var session = await harness.CreateGroupAsync("alice", "bob");
        for (var i = 1; i <= count; i++)
        {
            await harness.SendAsync(i % 2 == 0 ? "bob" : "alice", session, $"c{i}", $"message {i}");
        }

        return session;
    }

    [Fact]
    public async Task A_page_stops_at_the_content_limit_but_always_carries_one_message()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxPageContentLength = 2500, MaxContentLength = 5000 });
        var session = await harness.CreateGroupAsync("alice", "bob");
        await harness.SendAsync("alice", session, "a", new string('a', 1000));
        await harness.SendAsync("alice", session, "b", new string('b', 1000));
        await harness.SendAsync("alice", session, "c", new string('c', 1000));
        await harness.SendAsync("alice", session, "d", new string('d', 4000));

        var first = await harness.SyncAsync("bob", session);
        var second = await harness.SyncAsync("bob", session, afterSeq: 2);
        var third = await harness.SyncAsync("bob", session, afterSeq: 3);

        Assert.Equal([1L, 2L], first.Messages.Select(m => m.Seq));
        Assert.True(first.HasMore);
        Assert.Equal([3L], second.Messages.Select(m => m.Seq));
        Assert.True(second.HasMore);
        Assert.Equal([4L], third.Messages.Select(m => m.Seq));
        Assert.False(third.HasMore);
    }
}
