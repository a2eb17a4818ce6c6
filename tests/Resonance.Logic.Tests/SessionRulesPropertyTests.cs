using CsCheck;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;
using Xunit.Abstractions;

namespace Resonance.Logic.Tests;

/// <summary>
/// Random sequences of sends (client message ids repeated on purpose), member adds, syncs and restarts,
/// each checked against a model of the rules: seqs are gapless from 1, a repeat gets the original ack and
/// stores nothing, non-members are refused, and a sync returns exactly the messages after its seq, in order.
/// </summary>
public sealed class SessionRulesPropertyTests(ITestOutputHelper output)
{
    private const int Users = 5;

    // Small pages, so that syncs page and hasMore is exercised.
    private static readonly LogicOptions Options = new() { DefaultPageSize = 4, MaxPageSize = 6 };

    private static readonly Gen<Operation> AnyOperation = Gen.Frequency(
        (6, Gen.Select(Gen.Int[0, Users - 1], Gen.Int[0, 5], Gen.String[1, 12], (sender, id, content) => (Operation)new Send(sender, $"c{id}", content))),
        (1, Gen.Select(Gen.Int[0, Users - 1], Gen.Int[0, Users - 1], (caller, member) => (Operation)new AddMember(caller, member))),
        (3, Gen.Select(Gen.Int[0, Users - 1], Gen.Int[0, 30], Gen.Int[0, 8], (caller, after, limit) => (Operation)new Sync(caller, after, limit))),
        (1, Gen.Const((Operation)new Restart())));

    private interface Operation;

    [Fact]
    public async Task Random_sends_adds_and_syncs_follow_the_session_rules()
    {
        await using var harness = new LogicHarness(Options);
        var operations = 0;

        var cases = await Fuzz.RunAsync(nameof(Random_sends_adds_and_syncs_follow_the_session_rules), AnyOperation.Array[1, 40], async script =>
        {
            var users = Enumerable.Range(0, Users).Select(i => $"u{i}-{Guid.NewGuid().ToString("N")[..6]}").ToArray();
            var session = await harness.CreateGroupAsync(users[0], users[1]);
            var model = new SessionModel(users[0], users[1]);
            foreach (var operation in script)
            {
                operations++;
                await (operation switch
                {
                    Send send => CheckSendAsync(harness, session, model, users[send.Sender], send.ClientMsgId, send.Content),
                    AddMember add => CheckAddAsync(harness, session, model, users[add.Caller], users[add.Member]),
                    Sync sync => CheckSyncAsync(harness, session, model, users[sync.Caller], sync.AfterSeq, sync.Limit),
                    _ => harness.RestartAsync(),
                });
            }

            var all = await harness.SyncAsync(users[0], session, limit: Options.MaxPageSize);
            var stored = new List<Push>(all.Messages);
            while (all.HasMore)
            {
                all = await harness.SyncAsync(users[0], session, stored[^1].Seq, Options.MaxPageSize);
                stored.AddRange(all.Messages);
            }

            Assert.Equal(Enumerable.Range(1, model.Messages.Count).Select(i => (long)i), stored.Select(m => m.Seq));
        }, 150);

        output.WriteLine($"{cases} scripts, {operations} operations");
    }

    [Fact]
    public async Task Concurrent_sends_with_repeated_client_msg_ids_store_each_once_with_gapless_seqs()
    {
        await using var harness = new LogicHarness(Options);
        var sends = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 9]).Array[1, 60];

        var cases = await Fuzz.RunAsync(nameof(Concurrent_sends_with_repeated_client_msg_ids_store_each_once_with_gapless_seqs), sends, async script =>
        {
            var users = Enumerable.Range(0, 3).Select(i => $"u{i}-{Guid.NewGuid().ToString("N")[..6]}").ToArray();
            var session = await harness.CreateGroupAsync(users[0], users[1], users[2]);

            var acks = await Task.WhenAll(script.Select(s => Task.Run(() => harness.SendAsync(users[s.Item1], session, $"c{s.Item2}", $"{s.Item1}/{s.Item2}"))));

            var distinct = script.Distinct().Count();
            var byKey = script.Zip(acks).GroupBy(pair => pair.First, pair => pair.Second).ToList();
            Assert.All(byKey, group => Assert.Single(group.Distinct()));
            Assert.Equal(Enumerable.Range(1, distinct).Select(i => (long)i), byKey.Select(g => g.First().Seq).Order());
            var stored = await harness.SyncAsync(users[0], session, limit: Options.MaxPageSize);
            var all = new List<Push>(stored.Messages);
            while (stored.HasMore)
            {
                stored = await harness.SyncAsync(users[0], session, all[^1].Seq, Options.MaxPageSize);
                all.AddRange(stored.Messages);
            }

            Assert.Equal(Enumerable.Range(1, distinct).Select(i => (long)i), all.Select(m => m.Seq));
            Assert.All(byKey, group => Assert.Equal($"{group.Key.Item1}/{group.Key.Item2}", all[(int)group.First().Seq - 1].Content));
        }, 100);

        Assert.Equal(100, cases);
    }

    private static async Task CheckSendAsync(LogicHarness harness, string session, SessionModel model, string sender, string clientMsgId, string content)
    {
        if (!model.Members.Contains(sender))
        {
            var refused = await Assert.ThrowsAsync<ResonanceException>(() => harness.SendAsync(sender, session, clientMsgId, content));
            Assert.Equal(ErrorCodes.SessionNotFound, refused.Code);
            return;
        }

        var ack = await harness.SendAsync(sender, session, clientMsgId, content);
        if (model.Acks.TryGetValue((sender, clientMsgId), out var original))
        {
            Assert.Equal(original, ack);
            return;
        }

        Assert.Equal(model.Messages.Count + 1, ack.Seq);
        Assert.Equal((clientMsgId, session), (ack.ClientMsgId, ack.SessionId));
        model.Acks[(sender, clientMsgId)] = ack;
        model.Messages.Add(new Push { SessionId = session, Seq = ack.Seq, MsgId = ack.MsgId, From = sender, Content = content, SentAt = ack.SentAt });
    }

    private static async Task CheckAddAsync(LogicHarness harness, string session, SessionModel model, string caller, string member)
    {
        if (!model.Members.Contains(caller))
        {
            var refused = await Assert.ThrowsAsync<ResonanceException>(() => harness.AddMembersAsync(caller, session, member));
            Assert.Equal(ErrorCodes.SessionNotFound, refused.Code);
            return;
        }

        var added = await harness.AddMembersAsync(caller, session, member);
        model.Members.Add(member);
        Assert.Equal(model.Members.Order(StringComparer.Ordinal), added.Members);
    }

    private static async Task CheckSyncAsync(LogicHarness harness, string session, SessionModel model, string caller, long afterSeq, int limit)
    {
        if (!model.Members.Contains(caller))
        {
            var refused = await Assert.ThrowsAsync<ResonanceException>(() => harness.SyncAsync(caller, session, afterSeq, limit));
            Assert.Equal(ErrorCodes.SessionNotFound, refused.Code);
            return;
        }

        var result = await harness.SyncAsync(caller, session, afterSeq, limit);
        var after = model.Messages.Where(m => m.Seq > afterSeq).ToList();
        var pageSize = limit == 0 ? Options.DefaultPageSize : Math.Min(limit, Options.MaxPageSize);
        Assert.Equal(after.Take(pageSize), result.Messages);
        Assert.Equal(after.Count > pageSize, result.HasMore);
        Assert.Equal(model.Messages.Count, result.LastSeq);
    }

    private sealed record Send(int Sender, string ClientMsgId, string Content) : Operation;

    private sealed record AddMember(int Caller, int Member) : Operation;

    private sealed record Sync(int Caller, long AfterSeq, int Limit) : Operation;

    private sealed record Restart : Operation;

    /// <summary>What the session should hold: its members, its messages in seq order, each sender's acks by client message id.</summary>
    private sealed class SessionModel(params string[] members)
    {
        public HashSet<string> Members { get; } = [.. members];

        public List<Push> Messages { get; } = [];

        public Dictionary<(string Sender, string ClientMsgId), SendAck> Acks { get; } = [];
    }
}
