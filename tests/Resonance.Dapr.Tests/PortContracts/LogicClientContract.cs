using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>
/// What the gateway's <see cref="ILogicClient"/> must answer on every engine: the session rules as a
/// gateway sees them, rejections included (the same codes and messages on both engines).
/// </summary>
public abstract class LogicClientContract : IAsyncLifetime
{
    protected abstract ILogicClient Logic { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Sends_get_consecutive_seqs_and_a_resend_gets_the_original_ack()
    {
        var session = await CreateGroupAsync("alice", "bob");

        var first = await SendAsync("alice", session, "c1", "one");
        var second = await SendAsync("bob", session, "c2", "two");
        var again = await SendAsync("alice", session, "c1", "one, again");
        var synced = await Logic.SyncAsync("bob", new SyncCommand { SessionId = session }, CancellationToken.None);

        Assert.Equal((1L, 2L), (first.Seq, second.Seq));
        Assert.Equal(first, again);
        Assert.Equal(["one", "two"], synced.Messages.Select(m => m.Content));
        Assert.Equal(2, synced.LastSeq);
    }

    [Fact]
    public async Task A_batch_of_sends_gets_one_reply_per_send_in_order_each_its_own_ack_or_error()
    {
        var session = await CreateGroupAsync("alice", "bob");
        var other = await CreateGroupAsync("alice");
        await SendAsync("alice", session, "earlier", "zero");
        var batch = new SendManyCommand();
        batch.Sends.Add(Send(session, "c1", "one"));
        batch.Sends.Add(Send(session, "c2", ""));
        batch.Sends.Add(Send(session, "earlier", "zero, again"));
        batch.Sends.Add(Send(other, "o1", "elsewhere"));
        batch.Sends.Add(Send(session, "c3", "three"));
        batch.Sends.Add(Send(session, "c1", "one, again"));

        var result = await Logic.SendManyAsync("alice", batch, CancellationToken.None);
        var synced = await Logic.SyncAsync("bob", new SyncCommand { SessionId = session }, CancellationToken.None);

        Assert.Equal(
            [$"ack c1 {session}#2", $"error {ErrorCodes.InvalidArgument} c2", $"ack earlier {session}#1", $"ack o1 {other}#1", $"ack c3 {session}#3", $"ack c1 {session}#2"],
            result.Replies.Select(r => r.ResultCase == SendReply.ResultOneofCase.Ack
                ? $"ack {r.Ack.ClientMsgId} {r.Ack.SessionId}#{r.Ack.Seq}"
                : $"error {r.Error.Code} {r.Error.ClientMsgId}"));
        Assert.Equal(result.Replies[0].Ack, result.Replies[5].Ack);
        Assert.Equal(["zero", "one", "three"], synced.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task A_batch_larger_than_one_store_transaction_holds_is_stored_whole_in_order()
    {
        var session = await CreateGroupAsync("alice", "bob");
        var batch = new SendManyCommand();
        batch.Sends.AddRange(Enumerable.Range(1, 200).Select(i => Send(session, $"c{i}", $"m{i}")));

        var result = await Logic.SendManyAsync("alice", batch, CancellationToken.None);
        var tail = await Logic.SyncAsync("bob", new SyncCommand { SessionId = session, AfterSeq = 180 }, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"c{i}#{i}"), result.Replies.Select(r => $"{r.Ack?.ClientMsgId}#{r.Ack?.Seq}"));
        Assert.Equal(Enumerable.Range(181, 20).Select(i => $"m{i}"), tail.Messages.Select(m => m.Content));
        Assert.Equal(200, tail.LastSeq);
    }

    [Fact]
    public async Task A_non_member_and_a_missing_session_get_the_same_answer()
    {
        var session = await CreateGroupAsync("alice", "bob");
        var missing = "g_" + Guid.NewGuid().ToString("N");

        var notMember = await Assert.ThrowsAsync<ResonanceException>(() => SendAsync("mallory", session, "c1", "hi"));
        var notThere = await Assert.ThrowsAsync<ResonanceException>(() => SendAsync("mallory", missing, "c1", "hi"));

        Assert.Equal((ErrorCodes.SessionNotFound, $"session {session} does not exist"), (notMember.Code, notMember.Message));
        Assert.Equal((ErrorCodes.SessionNotFound, $"session {missing} does not exist"), (notThere.Code, notThere.Message));
    }

    [Fact]
    public async Task Invalid_commands_are_refused_as_invalid_arguments()
    {
        var session = await CreateGroupAsync("alice", "bob");

        var empty = await Assert.ThrowsAsync<ResonanceException>(() => SendAsync("alice", session, "c1", ""));
        var badId = await Assert.ThrowsAsync<ResonanceException>(() => SendAsync("alice", "not a session!", "c1", "hi"));
        var badKind = await Assert.ThrowsAsync<ResonanceException>(() =>
            Logic.CreateSessionAsync("alice", new CreateSessionRequest { Kind = "crowd", Members = { "bob" } }, CancellationToken.None));

        Assert.All([empty, badId, badKind], ex => Assert.Equal(ErrorCodes.InvalidArgument, ex.Code));
    }

    [Fact]
    public async Task A_direct_session_is_one_session_whoever_creates_it_and_its_members_are_fixed()
    {
        var byAlice = await Logic.CreateSessionAsync("alice", new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { "bob" } }, CancellationToken.None);
        var byBob = await Logic.CreateSessionAsync("bob", new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { "alice" } }, CancellationToken.None);

        var adding = await Assert.ThrowsAsync<ResonanceException>(() =>
            Logic.AddMembersAsync("alice", byAlice.SessionId, new AddMembersRequest { Members = { "carol" } }, CancellationToken.None));

        Assert.Equal(byAlice.SessionId, byBob.SessionId);
        Assert.Equal(ErrorCodes.InvalidArgument, adding.Code);
    }

    [Fact]
    public async Task An_added_member_can_sync_the_history_and_finds_the_session_listed()
    {
        var session = await CreateGroupAsync("alice", "bob");
        await SendAsync("alice", session, "c1", "before carol");

        var added = await Logic.AddMembersAsync("alice", session, new AddMembersRequest { Members = { "carol" } }, CancellationToken.None);
        var synced = await Logic.SyncAsync("carol", new SyncCommand { SessionId = session }, CancellationToken.None);
        var listed = await Logic.ListSessionsAsync("carol", new ListSessionsRequest(), CancellationToken.None);

        Assert.Equal(["alice", "bob", "carol"], added.Members);
        Assert.Equal(["before carol"], synced.Messages.Select(m => m.Content));
        var summary = Assert.Single(listed.Sessions);
        Assert.Equal((session, 1L, false), (summary.SessionId, summary.LastSeq, listed.HasMore));
    }

    private async Task<string> CreateGroupAsync(string creator, params string[] members)
    {
        var request = new CreateSessionRequest { Kind = SessionKinds.Group, Name = "team" };
        request.Members.AddRange(members);
        return (await Logic.CreateSessionAsync(creator, request, CancellationToken.None)).SessionId;
    }

    private Task<SendAck> SendAsync(string sender, string sessionId, string clientMsgId, string content) =>
        Logic.SendAsync(sender, new SendCommand { SessionId = sessionId, ClientMsgId = clientMsgId, Content = content }, CancellationToken.None);

    private static SendCommand Send(string session, string clientMsgId, string content) =>
        new() { SessionId = session, ClientMsgId = clientMsgId, Content = content };
}
