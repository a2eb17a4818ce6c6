using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Tests;

public sealed class SendTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Seq_starts_at_1_and_each_send_takes_the_next_one()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");

        var seqs = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            seqs.Add((await harness.SendAsync(i % 2 == 0 ? "bob" : "alice", session, $"c{i}")).Seq);
        }

        Assert.Equal([1L, 2, 3, 4, 5], seqs);
        Assert.Equal(5, (await harness.SyncAsync("alice", session)).LastSeq);
    }

    [Fact]
    public async Task Two_hundred_concurrent_sends_get_seqs_1_to_200_once_each_and_are_published_in_seq_order()
    {
        await using var harness = new LogicHarness();
        string[] senders = ["alice", "bob", "carol", "dave"];
        var session = await harness.CreateGroupAsync("alice", "bob", "carol", "dave");

        var sends = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => harness.SendAsync(senders[i % senders.Length], session, $"c{i}", $"message {i}")))
            .ToList();
        var acks = await Task.WhenAll(sends).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), acks.Select(a => a.Seq).Order());
        Assert.Equal(200, acks.Select(a => a.MsgId).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), harness.Publisher.Events.Select(e => e.Message.Seq));
        Assert.Equal(1, harness.Publisher.MaxInFlight);

        // Each ack names the message stored at its seq.
        var stored = await harness.SyncAsync("alice", session, limit: 500);
        Assert.False(stored.HasMore);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), stored.Messages.Select(m => m.Seq));
        for (var i = 0; i < 200; i++)
        {
            var message = stored.Messages[(int)acks[i].Seq - 1];
            Assert.Equal((acks[i].MsgId, senders[i % senders.Length], $"message {i}"), (message.MsgId, message.From, message.Content));
        }
    }

    [Fact]
    public async Task Sessions_count_seqs_independently()
    {
        await using var harness = new LogicHarness();
        var first = await harness.CreateGroupAsync("alice");
        var second = await harness.CreateGroupAsync("alice");

        var a1 = await harness.SendAsync("alice", first, "c1");
        var b1 = await harness.SendAsync("alice", second, "c1");
        var a2 = await harness.SendAsync("alice", first, "c2");

        Assert.Equal((1L, 1L, 2L), (a1.Seq, b1.Seq, a2.Seq));
    }

    [Fact]
    public async Task Ack_and_push_event_describe_the_stored_message()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        harness.Time.Advance(TimeSpan.FromMinutes(3));

        var ack = await harness.SendAsync("bob", session, "c1", "hi all");

        var sentAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(harness.Time.GetUtcNow());
        Assert.Equal(new SendAck { ClientMsgId = "c1", MsgId = ack.MsgId, SessionId = session, Seq = 1, SentAt = sentAt }, ack);
        Assert.Equal(32, ack.MsgId.Length);
        var expectedPush = new Push { SessionId = session, Seq = 1, MsgId = ack.MsgId, From = "bob", Content = "hi all", SentAt = sentAt };
        Assert.Equal([new PushEvent { Message = expectedPush, MembersVersion = 1 }], harness.Publisher.Events);
        Assert.Equal([expectedPush], (await harness.SyncAsync("alice", session)).Messages);
    }

    [Fact]
    public async Task Repeating_a_send_returns_the_first_ack_and_stores_and_publishes_nothing_new()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        var first = await harness.SendAsync("alice", session, "c1", "once");
        harness.Time.Advance(TimeSpan.FromSeconds(5));

        var repeated = await harness.SendAsync("alice", session, "c1", "once");
        var repeatedWithOtherContent = await harness.SendAsync("alice", session, "c1", "changed");

        Assert.Equal(first, repeated);
        Assert.Equal(first, repeatedWithOtherContent);
        Assert.Single(harness.Publisher.Events);
        var sync = await harness.SyncAsync("alice", session);
        Assert.Equal((1L, "once"), (sync.LastSeq, Assert.Single(sync.Messages).Content));
        Assert.Equal(2, (await harness.SendAsync("alice", session, "c2")).Seq);
    }

    [Fact]
    public async Task The_same_client_msg_id_from_another_sender_is_another_message()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");

        var fromAlice = await harness.SendAsync("alice", session, "c1", "from alice");
        var fromBob = await harness.SendAsync("bob", session, "c1", "from bob");

        Assert.Equal((1L, 2L), (fromAlice.Seq, fromBob.Seq));
        Assert.NotEqual(fromAlice.MsgId, fromBob.MsgId);
        Assert.Equal(["from alice", "from bob"], (await harness.SyncAsync("alice", session)).Messages.Select(m => m.Content));
        Assert.Equal([1L, 2], harness.Publisher.Events.Select(e => e.Message.Seq));
    }

    [Fact]
    public async Task Repeating_a_send_after_a_restart_returns_the_first_ack()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        var first = await harness.SendAsync("alice", session, "c1");
        await harness.SendAsync("bob", session, "c1");

        await harness.RestartAsync();
        var repeated = await harness.SendAsync("alice", session, "c1");
        var next = await harness.SendAsync("alice", session, "c2");

        Assert.Equal(first, repeated);
        Assert.Equal(3, next.Seq);
        Assert.Equal([1L, 2, 3], harness.Publisher.Events.Select(e => e.Message.Seq));
        Assert.Equal([1L, 2, 3], (await harness.SyncAsync("alice", session)).Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task Concurrent_repeats_of_one_send_store_it_once()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");

        var acks = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => harness.SendAsync("alice", session, "c1")))).WaitAsync(Timeout);

        Assert.All(acks, ack => Assert.Equal(acks[0], ack));
        Assert.Equal(1, acks[0].Seq);
        Assert.Single(harness.Publisher.Events);
        Assert.Single((await harness.SyncAsync("alice", session)).Messages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task Content_that_is_empty_or_over_the_maximum_is_rejected(int length)
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxContentLength = 10 });
        var session = await harness.CreateGroupAsync("alice");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("alice", session, "c1", new string('x', length)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        await AssertNothingStoredAsync(harness, session);
    }

    [Fact]
    public async Task Content_of_exactly_the_maximum_length_is_accepted()
    {
        await using var harness = new LogicHarness(new LogicOptions { MaxContentLength = 10 });
        var session = await harness.CreateGroupAsync("alice");

        var ack = await harness.SendAsync("alice", session, "c1", new string('x', 10));

        Assert.Equal(1, ack.Seq);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    public async Task A_client_msg_id_that_is_missing_or_over_128_characters_is_rejected(int length)
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");

        var error = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync("alice", session, new string('c', length)));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        await AssertNothingStoredAsync(harness, session);
    }

    [Fact]
    public async Task A_client_msg_id_of_128_characters_is_accepted()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice");
        var clientMsgId = new string('c', 128);

        var ack = await harness.SendAsync("alice", session, clientMsgId);

        Assert.Equal((clientMsgId, 1L), (ack.ClientMsgId, ack.Seq));
    }

    [Fact]
    public async Task A_failing_publisher_does_not_fail_the_send()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        harness.Publisher.Failure = new InvalidOperationException("the bus is down");

        var ack = await harness.SendAsync("alice", session, "c1", "still stored");
        harness.Publisher.Failure = null;
        var next = await harness.SendAsync("alice", session, "c2");

        Assert.Equal((1L, 2L), (ack.Seq, next.Seq));
        Assert.Equal(["still stored", "hello"], (await harness.SyncAsync("bob", session)).Messages.Select(m => m.Content));
        Assert.Equal([1L, 2], harness.Publisher.Events.Select(e => e.Message.Seq));
    }

    [Fact]
    public async Task A_publisher_timing_out_does_not_fail_the_send()
    {
        await using var harness = new LogicHarness();
        var session = await harness.CreateGroupAsync("alice", "bob");
        harness.Publisher.Failure = new TaskCanceledException("the publish timed out");

        var ack = await harness.SendAsync("alice", session, "c1", "stored anyway");

        Assert.Equal(1, ack.Seq);
        Assert.Equal(["stored anyway"], (await harness.SyncAsync("bob", session)).Messages.Select(m => m.Content));
    }

    private static async Task AssertNothingStoredAsync(LogicHarness harness, string session)
    {
        var sync = await harness.SyncAsync("alice", session);
        Assert.Equal(0, sync.LastSeq);
        Assert.Empty(sync.Messages);
        Assert.Empty(harness.Publisher.Events);
    }
}
