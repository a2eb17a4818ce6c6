using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

/// <summary>A batch of one sender's sends (the gateway's send pipeline): one reply per send, in order, each its own.</summary>
public sealed class SendManyTests
{
    [Fact]
    public async Task A_batch_is_stored_at_the_next_seqs_in_order_and_published_in_seq_order()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        await harness.SendAsync("alice", session, "before");

        var result = await SendManyAsync(harness, "alice", [.. Enumerable.Range(1, 10).Select(i => Send(session, $"c{i}", $"m{i}"))]);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => ($"c{i}", (long)i + 1)), result.Replies.Select(r => (r.Ack.ClientMsgId, r.Ack.Seq)));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), harness.Publisher.Events.Select(e => e.Message.Seq));
        var stored = await harness.SyncAsync("bob", session);
        Assert.Equal(["hello", .. Enumerable.Range(1, 10).Select(i => $"m{i}")], stored.Messages.Select(m => m.Content));
        Assert.Equal(11, stored.LastSeq);
    }

    [Fact]
    public async Task A_bad_send_gets_its_own_error_and_the_others_are_stored_without_a_gap()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");

        var result = await SendManyAsync(harness, "alice", [Send(session, "c1"), Send(session, "c2", string.Empty), Send(session, string.Empty), Send(session, "c4")]);

        Assert.Equal(
            [("ack", "c1", 1L), ("error " + ErrorCodes.InvalidArgument, "c2", 0), ("error " + ErrorCodes.InvalidArgument, string.Empty, 0), ("ack", "c4", 2)],
            result.Replies.Select(Describe));
        Assert.Equal([1L, 2], (await harness.SyncAsync("bob", session)).Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Repeats_within_a_batch_and_of_an_earlier_batch_get_the_original_ack_and_store_nothing()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        var earlier = await SendManyAsync(harness, "alice", [Send(session, "a"), Send(session, "b")]);

        var result = await SendManyAsync(harness, "alice", [Send(session, "c"), Send(session, "a"), Send(session, "d"), Send(session, "c"), Send(session, "e")]);

        Assert.Equal([("ack", "c", 3L), ("ack", "a", 1), ("ack", "d", 4), ("ack", "c", 3), ("ack", "e", 5)], result.Replies.Select(Describe));
        Assert.Equal(earlier.Replies[0].Ack.MsgId, result.Replies[1].Ack.MsgId);
        Assert.Equal(result.Replies[0].Ack.MsgId, result.Replies[3].Ack.MsgId);
        Assert.Equal(
            result.Replies.Where((_, i) => i is 0 or 2 or 4).Select(r => r.Ack.MsgId).Prepend(earlier.Replies[1].Ack.MsgId).Prepend(earlier.Replies[0].Ack.MsgId),
            (await harness.SyncAsync("bob", session)).Messages.Select(m => m.MsgId));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), harness.Publisher.Events.Select(e => e.Message.Seq));

        await harness.RestartAsync();
        var afterRestart = await SendManyAsync(harness, "alice", [Send(session, "e"), Send(session, "f")]);
        Assert.Equal([("ack", "e", 5L), ("ack", "f", 6)], afterRestart.Replies.Select(Describe));
    }

    [Fact]
    public async Task Runs_to_several_sessions_are_each_stored_in_their_own_session_and_answered_in_order()
    {
        await using var harness = new LogicHarness();
        var first = await harness.CreateGroupAsync("alice", "bob");
        var second = await harness.CreateGroupAsync("alice", "bob");
        var notMine = await harness.CreateGroupAsync("carol");

        var result = await SendManyAsync(harness, "alice",
            [Send(first, "1a"), Send(first, "1b"), Send(second, "2a"), Send(notMine, "x"), Send("not a session", "y"), Send(first, "1c")]);

        Assert.Equal(
            [("ack", "1a", 1L), ("ack", "1b", 2), ("ack", "2a", 1), ("error " + ErrorCodes.SessionNotFound, "x", 0), ("error " + ErrorCodes.InvalidArgument, "y", 0), ("ack", "1c", 3)],
            result.Replies.Select(Describe));
        Assert.Equal([first, first, second, first], result.Replies.Where(r => r.Ack is not null).Select(r => r.Ack.SessionId));
        Assert.Empty((await harness.SyncAsync("carol", notMine)).Messages);
    }

    [Fact]
    public async Task A_store_failure_after_part_of_a_batch_is_durable_answers_and_publishes_that_part_and_reloads_the_head()
    {
        FailingAppendStore? store = null;
        await using var harness = new LogicHarness(wrapStore: inner => store = new FailingAppendStore(inner));
        var session = await harness.CreateGroupAsync("alice", "bob");
        await SendManyAsync(harness, "alice", [Send(session, "b")]);
        // The second write of the next batch (after the repeat of "b" splits it) takes effect but throws.
        store!.FailingCall = 3;

        var result = await SendManyAsync(harness, "alice", [Send(session, "a"), Send(session, "b"), Send(session, "c"), Send(session, "c")]);

        Assert.Equal(
            [("ack", "a", 2L), ("ack", "b", 1), ("error " + ErrorCodes.Unavailable, "c", 0), ("error " + ErrorCodes.Unavailable, "c", 0)],
            result.Replies.Select(Describe));
        Assert.Equal([1L, 2], harness.Publisher.Events.Select(e => e.Message.Seq));
        var next = await SendManyAsync(harness, "alice", [Send(session, "c"), Send(session, "d")]);
        Assert.Equal([("ack", "c", 3L), ("ack", "d", 4)], next.Replies.Select(Describe));
        Assert.Equal([1L, 2, 3, 4], (await harness.SyncAsync("bob", session)).Messages.Select(m => m.Seq));
    }

    private static Task<SendManyResult> SendManyAsync(LogicHarness harness, string sender, SendCommand[] sends)
    {
        var command = new SendManyCommand();
        command.Sends.AddRange(sends);
        return harness.Service.SendManyAsync(sender, command, CancellationToken.None);
    }

    private static SendCommand Send(string session, string clientMsgId, string content = "hello") =>
        new() { SessionId = session, ClientMsgId = clientMsgId, Content = content };

    private static (string Kind, string ClientMsgId, long Seq) Describe(SendReply reply) =>
        reply.ResultCase == SendReply.ResultOneofCase.Ack
            ? ("ack", reply.Ack.ClientMsgId, reply.Ack.Seq)
            : ("error " + reply.Error.Code, reply.Error.ClientMsgId, 0);
}
