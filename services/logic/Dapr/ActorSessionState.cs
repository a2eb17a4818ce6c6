using System.Security.Cryptography;
using System.Text;
using Dapr.Actors.Runtime;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>
/// A session's state in its actor's state (the actor state store). Keys, all under the actor's own
/// prefix (<c>logic||SessionActor||{sessionId}||</c>):
/// <list type="bullet">
/// <item><c>head</c>: <see cref="SessionHeadRecord"/> (kind, name, members, versions, last seq);</item>
/// <item><c>page-N</c>: <see cref="MessagePageRecord"/>, messages N·<see cref="PageSize"/>+1 … (N+1)·<see cref="PageSize"/>;</item>
/// <item><c>dedup-H</c>: the seq of the message whose (sender, client message id) hashes to H.</item>
/// </list>
/// An append writes head, one page and one dedup key in one state transaction, so it is durable and whole when it returns.
/// </summary>
internal sealed class ActorSessionState(IActorStateManager state, string sessionId) : ISessionState
{
    public const int PageSize = 50;

    /// <summary>
    /// Messages one save holds: their dedup keys, the pages they fall in (at most three) and the head stay within
    /// 100 operations, the most a transaction may hold on the stores that cap it (components-contrib's
    /// <c>MultiMaxSize</c> of DynamoDB and Cosmos DB); daprd refuses a larger actor state transaction.
    /// </summary>
    public const int MaxMessagesPerSave = 90;

    private const string HeadKey = "head";

    public string SessionId => sessionId;

    public async Task<SessionHead?> LoadAsync(CancellationToken cancellationToken)
    {
        var head = await state.TryGetStateAsync<SessionHeadRecord>(HeadKey, cancellationToken);
        return head.HasValue ? head.Value.ToHead(sessionId) : null;
    }

    public async Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        if (await state.ContainsStateAsync(HeadKey, cancellationToken))
        {
            return false;
        }

        await state.SetStateAsync(HeadKey, SessionHeadRecord.From(head, createdAt), cancellationToken);
        await SaveAsync(cancellationToken);
        return true;
    }

    public async Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken)
    {
        var head = await state.GetStateAsync<SessionHeadRecord>(HeadKey, cancellationToken);
        var members = new SortedSet<string>(head.Members, StringComparer.Ordinal);
        members.UnionWith(added);
        head.Members = [.. members];
        head.MembersVersion = membersVersion;
        await state.SetStateAsync(HeadKey, head, cancellationToken);
        await SaveAsync(cancellationToken);
    }

    public async Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        var head = await state.TryGetStateAsync<SessionHeadRecord>(HeadKey, cancellationToken);
        if (!head.HasValue || head.Value.LastSeq != message.Seq - 1)
        {
            return AppendResult.SeqConflict;
        }

        var dedupKey = DedupKey(message.From, message.ClientMsgId);
        if (await state.ContainsStateAsync(dedupKey, cancellationToken))
        {
            return AppendResult.DuplicateClientMsgId;
        }

        var pageKey = PageKey(PageOf(message.Seq));
        var page = await state.TryGetStateAsync<MessagePageRecord>(pageKey, cancellationToken);
        var messages = page.HasValue ? page.Value : new MessagePageRecord();
        messages.Messages.Add(MessageRecord.Of(message));
        head.Value.LastSeq = message.Seq;
        await state.SetStateAsync(pageKey, messages, cancellationToken);
        await state.SetStateAsync(dedupKey, message.Seq, cancellationToken);
        await state.SetStateAsync(HeadKey, head.Value, cancellationToken);
        await SaveAsync(cancellationToken);
        return AppendResult.Appended;
    }

    /// <summary>
    /// Every message's page, dedup key and the head in one state transaction: one save for the batch, or for its
    /// first <see cref="MaxMessagesPerSave"/> (the caller sends the rest again).
    /// </summary>
    public async Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var results = new List<AppendResult>(Math.Min(messages.Count, MaxMessagesPerSave));
        var head = await state.TryGetStateAsync<SessionHeadRecord>(HeadKey, cancellationToken);
        MessagePageRecord? page = null;
        var pageNumber = -1L;
        foreach (var message in messages.Take(MaxMessagesPerSave))
        {
            var result = await StageAsync(message);
            results.Add(result);
            if (result != AppendResult.Appended)
            {
                break;
            }
        }

        if (results.Count > 0 && results[0] == AppendResult.Appended)
        {
            if (page is not null)
            {
                await state.SetStateAsync(PageKey(pageNumber), page, cancellationToken);
            }

            await state.SetStateAsync(HeadKey, head.Value, cancellationToken);
            await SaveAsync(cancellationToken);
        }

        return results;

        async Task<AppendResult> StageAsync(StoredMessage message)
        {
            if (message.SessionId != sessionId)
            {
                throw new ArgumentException($"A message is of session {message.SessionId}, not {sessionId}.", nameof(messages));
            }

            if (!head.HasValue || head.Value.LastSeq != message.Seq - 1)
            {
                return AppendResult.SeqConflict;
            }

            var dedupKey = DedupKey(message.From, message.ClientMsgId);
            if (await state.ContainsStateAsync(dedupKey, cancellationToken))
            {
                return AppendResult.DuplicateClientMsgId;
            }

            if (PageOf(message.Seq) != pageNumber)
            {
                // The batch crosses into the next page: the one filled so far is staged whole.
                if (page is not null)
                {
                    await state.SetStateAsync(PageKey(pageNumber), page, cancellationToken);
                }

                pageNumber = PageOf(message.Seq);
                var stored = await state.TryGetStateAsync<MessagePageRecord>(PageKey(pageNumber), cancellationToken);
                page = stored.HasValue ? stored.Value : new MessagePageRecord();
            }

            page!.Messages.Add(MessageRecord.Of(message));
            head.Value.LastSeq = message.Seq;
            await state.SetStateAsync(dedupKey, message.Seq, cancellationToken);
            return AppendResult.Appended;
        }
    }

    public async Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken)
    {
        var seq = await state.TryGetStateAsync<long>(DedupKey(from, clientMsgId), cancellationToken);
        if (!seq.HasValue)
        {
            return null;
        }

        var page = await state.TryGetStateAsync<MessagePageRecord>(PageKey(PageOf(seq.Value)), cancellationToken);
        return page.HasValue && page.Value.Messages.Find(m => m.Seq == seq.Value) is { } found ? found.ToMessage(sessionId) : null;
    }

    public async Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var result = new List<StoredMessage>();
        for (var pageNumber = PageOf(afterSeq + 1); result.Count < limit; pageNumber++)
        {
            var page = await state.TryGetStateAsync<MessagePageRecord>(PageKey(pageNumber), cancellationToken);
            if (!page.HasValue)
            {
                break;
            }

            foreach (var message in page.Value.Messages)
            {
                if (message.Seq > afterSeq && result.Count < limit)
                {
                    result.Add(message.ToMessage(sessionId));
                }
            }

            if (page.Value.Messages.Count < PageSize)
            {
                break;
            }
        }

        return result;
    }

    private static long PageOf(long seq) => (seq - 1) / PageSize;

    private static string PageKey(long page) => $"page-{page}";

    /// <summary>Client message ids are the clients' strings: hashed, so any id makes a short, safe key.</summary>
    private static string DedupKey(string from, string clientMsgId) =>
        "dedup-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(from + "\n" + clientMsgId)).AsSpan(0, 16));

    /// <summary>Writes every changed key in one transaction; on failure forgets the cached changes, so nothing unsaved is believed.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await state.SaveStateAsync(cancellationToken);
        }
        catch
        {
            await state.ClearCacheAsync(cancellationToken);
            throw;
        }
    }
}
