using System.Collections.Concurrent;
using Resonance.Contracts.V1;
using Xunit;

namespace Resonance.Testing;

/// <summary>
/// Every send the test wrote to a socket (its client message id and content) and every ack it got back, across
/// restarts of the host; checks a session's history against them.
/// </summary>
public sealed class SentLedger
{
    private const string ContentPrefix = "message ";

    private readonly ConcurrentDictionary<string, string> _senderOf = new();
    private readonly ConcurrentDictionary<string, int> _next = new();
    private readonly ConcurrentDictionary<string, SendAck> _acks = new();
    private readonly ConcurrentQueue<Error> _refused = new();
    private readonly ConcurrentQueue<string> _ackMismatches = new();

    /// <summary>Sends written to a socket, acked or not.</summary>
    public int Attempted => _senderOf.Count;

    public int AckCount => _acks.Count;

    public IReadOnlyCollection<Error> Refusals => [.. _refused];

    public static string ContentOf(string clientMsgId) => ContentPrefix + clientMsgId;

    /// <summary>A new client message id for <paramref name="user"/>, recorded as attempted.</summary>
    public string NextClientMsgId(string user)
    {
        var clientMsgId = $"{user}-{_next.AddOrUpdate(user, 1, (_, n) => n + 1)}";
        _senderOf[clientMsgId] = user;
        return clientMsgId;
    }

    public void Acked(string user, SendAck ack)
    {
        if (!_senderOf.TryGetValue(ack.ClientMsgId, out var sender) || sender != user)
        {
            _ackMismatches.Enqueue($"{user} got an ack for {ack.ClientMsgId}, which it did not send");
        }

        var first = _acks.GetOrAdd(ack.ClientMsgId, ack);
        if (!first.Equals(ack))
        {
            _ackMismatches.Enqueue($"{ack.ClientMsgId} was acked twice, differently: {first} and {ack}");
        }
    }

    public void Refused(string user, Error error) => _refused.Enqueue(error);

    /// <summary>
    /// Checks a session's whole history: seqs 1..N, each message one of the attempted sends and none twice, every
    /// acked send there at its acked seq with its msgId, sender and content.
    /// </summary>
    public HistoryFigures Check(IReadOnlyList<Push> history)
    {
        Assert.Empty(_ackMismatches);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.Seq));
        var stored = new Dictionary<string, Push>();
        foreach (var message in history)
        {
            Assert.StartsWith(ContentPrefix, message.Content, StringComparison.Ordinal);
            var clientMsgId = message.Content[ContentPrefix.Length..];
            Assert.True(_senderOf.TryGetValue(clientMsgId, out var sender), $"#{message.Seq} ({clientMsgId}) was never sent");
            Assert.Equal(sender, message.From);
            Assert.True(stored.TryAdd(clientMsgId, message), $"{clientMsgId} is stored twice: #{stored.GetValueOrDefault(clientMsgId)?.Seq} and #{message.Seq}");
        }

        foreach (var (clientMsgId, ack) in _acks)
        {
            Assert.True(stored.TryGetValue(clientMsgId, out var message), $"{clientMsgId} was acked as #{ack.Seq} and is lost");
            Assert.Equal((ack.Seq, ack.MsgId, ack.SessionId, ack.SentAt), (message.Seq, message.MsgId, message.SessionId, message.SentAt));
        }

        return new HistoryFigures(Attempted, AckCount, stored.Count - AckCount, Attempted - stored.Count);
    }

    /// <summary>
    /// Sends every attempted client message id again, each user on a socket of its own: an acked one must get its
    /// original ack, an unacked one that was stored its stored seq, one that was not stored a new seq after the
    /// rest. Afterwards every attempted send is acked.
    /// </summary>
    public async Task ResendAllAsync(Uri webSocketAddress, IReadOnlyDictionary<string, string> tokens, string sessionId, IReadOnlyList<Push> history)
    {
        var storedSeq = history.ToDictionary(m => m.Content[ContentPrefix.Length..], m => (m.Seq, m.MsgId));
        var bySender = _senderOf.GroupBy(pair => pair.Value, pair => pair.Key).ToList();
        await Task.WhenAll(bySender.Select(async sends =>
        {
            await using var socket = await TestSocket.ConnectAsync(webSocketAddress, tokens[sends.Key]);
            foreach (var clientMsgId in sends.Order(StringComparer.Ordinal))
            {
                await socket.SendMessageAsync(sessionId, ContentOf(clientMsgId), clientMsgId);
                var answer = await socket.ReceiveUntilAnyAsync([WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.Error]);
                Assert.True(answer.BodyCase == WsPacket.BodyOneofCase.Ack, $"resending {clientMsgId}: {answer}");
                if (_acks.TryGetValue(clientMsgId, out var original))
                {
                    Assert.Equal(original, answer.Ack);
                }
                else if (storedSeq.TryGetValue(clientMsgId, out var stored))
                {
                    Assert.Equal(stored, (answer.Ack.Seq, answer.Ack.MsgId));
                    Acked(sends.Key, answer.Ack);
                }
                else
                {
                    Assert.True(answer.Ack.Seq > history.Count, $"{clientMsgId} was not stored, and its resend got #{answer.Ack.Seq}");
                    Acked(sends.Key, answer.Ack);
                }
            }
        }));

        Assert.Equal(Attempted, AckCount);
    }
}
