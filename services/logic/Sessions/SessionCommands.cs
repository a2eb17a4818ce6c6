using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>
/// The rules of a session (membership, seq allocation, idempotent send, paging), written once
/// for every engine. Holds no state: each command is given the session's <see cref="ISessionState"/>
/// and head; the caller runs one command at a time per session and keeps the head it returns.
/// </summary>
public sealed class SessionCommands(IOptions<LogicOptions> options, TimeProvider time)
{
    private const int MaxClientMsgIdLength = 128;
    private const int MaxNameLength = 128;

    private readonly LogicOptions _options = options.Value;

    /// <summary>Checks a create request and makes the new session's head (not stored yet).</summary>
    /// <param name="groupSessionId">The id a new group gets; a fresh one when null. Direct ids are always computed.</param>
    public SessionHead NewSession(string creator, CreateSessionRequest request, string? groupSessionId = null)
    {
        var name = request.Name ?? string.Empty;
        if (name.Length > MaxNameLength)
        {
            throw Invalid($"name is longer than {MaxNameLength} characters");
        }

        var others = ValidMembers(request.Members).Remove(creator);
        switch (request.Kind)
        {
            case SessionKinds.Group:
                var members = others.Add(creator);
                if (members.Count > _options.MaxMembers)
                {
                    throw Invalid($"a session has at most {_options.MaxMembers} members");
                }

                return new SessionHead(groupSessionId ?? SessionIds.NewGroup(), SessionKinds.Group, name, members, 1, 0);
            case SessionKinds.Direct:
                if (others.Count != 1)
                {
                    throw Invalid("a direct session has exactly one member besides the caller");
                }

                var peer = others.Min!;
                return new SessionHead(SessionIds.ForDirect(creator, peer), SessionKinds.Direct, name, others.Add(creator), 1, 0);
            default:
                throw Invalid("kind must be \"group\" or \"direct\"");
        }
    }

    /// <summary>
    /// Stores <paramref name="head"/> (from <see cref="NewSession"/>) unless the session exists; returns the
    /// session as stored. Only a direct session's id can exist already: the two people share it.
    /// </summary>
    public async Task<SessionHead> CreateAsync(ISessionState state, ISessionIndex index, SessionHead head, string creator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(head);
        await index.AddAsync(head.SessionId, head.Members, cancellationToken);
        if (await state.CreateAsync(head, time.GetUtcNow(), cancellationToken))
        {
            return head;
        }

        var existing = await state.LoadAsync(cancellationToken) ?? throw new ResonanceException(ErrorCodes.Unavailable, "the session is being changed; try again");
        EnsureMember(existing, head.SessionId, creator);
        return existing;
    }

    public async Task<SessionHead> AddMembersAsync(ISessionState state, ISessionIndex index, SessionHead? head, string caller, IEnumerable<string> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(index);
        head = EnsureMember(head, state.SessionId, caller);
        if (head.Kind == SessionKinds.Direct)
        {
            throw Invalid("a direct session's members are fixed");
        }

        var added = ValidMembers(members).Except(head.Members);
        if (added.IsEmpty)
        {
            return head;
        }

        if (head.Members.Count + added.Count > _options.MaxMembers)
        {
            throw Invalid($"a session has at most {_options.MaxMembers} members");
        }

        var next = head with { Members = head.Members.Union(added), MembersVersion = head.MembersVersion + 1 };
        await index.AddAsync(head.SessionId, added, cancellationToken);
        await state.AddMembersAsync(added, next.MembersVersion, cancellationToken);
        return next;
    }

    /// <summary>
    /// Stores the message unless this sender already sent this client message id; returns the
    /// new head, the ack, and the message when it is new (to be published), else null.
    /// </summary>
    public async Task<SendOutcome> SendAsync(ISessionState state, SessionHead? head, string sender, SendCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.ClientMsgId) || command.ClientMsgId.Length > MaxClientMsgIdLength)
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, $"clientMsgId must be 1 to {MaxClientMsgIdLength} characters");
        }

        head = EnsureMember(head, state.SessionId, sender);
        if (string.IsNullOrEmpty(command.Content))
        {
            throw Invalid("content is empty");
        }

        if (command.Content.Length > _options.MaxContentLength)
        {
            throw Invalid($"content is longer than {_options.MaxContentLength} characters");
        }

        var sentAt = time.GetUtcNow();
        var message = new StoredMessage(
            head.SessionId,
            head.LastSeq + 1,
            Guid.CreateVersion7(sentAt).ToString("N"),
            sender,
            command.ClientMsgId,
            command.Content,
            sentAt);
        switch (await state.AppendAsync(message, cancellationToken))
        {
            case AppendResult.Appended:
                return new SendOutcome(head with { LastSeq = message.Seq }, message.ToAck(), message);
            case AppendResult.DuplicateClientMsgId:
                // A repeat: answer with the original ack; the seq stays free for the next message.
                var earlier = await state.FindByClientMsgIdAsync(sender, command.ClientMsgId, cancellationToken)
                    ?? throw new InvalidOperationException($"Session {head.SessionId} refused a repeat of {command.ClientMsgId} it cannot find.");
                return new SendOutcome(head, earlier.ToAck(), null);
            default:
                // The head this command was given is stale: the host must reload the session before the next command.
                throw new SessionConflictException(head.SessionId, message.Seq);
        }
    }

    /// <summary>
    /// Sends of one sender to this session, stored in the order given with as few writes as the store allows
    /// (one, unless a repeat of an earlier send is among them). Each send gets its own reply: a send that breaks
    /// a rule gets its error and the others are stored; a repeat of a client message id, earlier or in this batch,
    /// gets the original ack.
    /// </summary>
    public async Task<SendManyOutcome> SendManyAsync(ISessionState state, SessionHead? head, string sender, IReadOnlyList<SendCommand> sends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sends);
        var replies = new SendReply?[sends.Count];
        var firstOfId = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeats = new List<(int Index, int First)>();
        var pending = new List<int>(sends.Count);
        for (var i = 0; i < sends.Count; i++)
        {
            try
            {
                Validate(head, state.SessionId, sender, sends[i]);
            }
            catch (ResonanceException ex)
            {
                replies[i] = ErrorReply(ex.Code, ex.Message, sends[i].ClientMsgId);
                continue;
            }

            if (firstOfId.TryGetValue(sends[i].ClientMsgId, out var first))
            {
                repeats.Add((i, first));
            }
            else
            {
                firstOfId.Add(sends[i].ClientMsgId, i);
                pending.Add(i);
            }
        }

        var stored = new List<StoredMessage>(pending.Count);
        var stale = false;
        try
        {
            stale = await AppendPendingAsync();
        }
        catch (Exception) when (stored.Count > 0)
        {
            // Part of the batch is durable and must be answered and published. Whether the failed write took effect
            // is unknown: the sends not answered yet are told to try again (a resend is deduplicated either way) and
            // the host reloads the head.
            FailUnanswered("the message could not be stored; try again");
            stale = true;
        }

        foreach (var (index, first) in repeats)
        {
            replies[index] = replies[first]!.Clone();
        }

        return new SendManyOutcome(head, replies!, stored, stale);

        // Stores the pending sends at the seqs after the head, as few writes as the store allows; true when the store
        // refused a seq (the head is stale), with the sends from there on answered unavailable.
        async Task<bool> AppendPendingAsync()
        {
            var next = 0;
            while (next < pending.Count)
            {
                var sentAt = time.GetUtcNow();
                var messages = new List<StoredMessage>(pending.Count - next);
                for (var k = next; k < pending.Count; k++)
                {
                    var send = sends[pending[k]];
                    messages.Add(new StoredMessage(head!.SessionId, head.LastSeq + 1 + (k - next), Guid.CreateVersion7(sentAt).ToString("N"),
                        sender, send.ClientMsgId, send.Content, sentAt));
                }

                var results = await state.AppendManyAsync(messages, cancellationToken);
                for (var k = 0; k < results.Count; k++)
                {
                    var index = pending[next + k];
                    switch (results[k])
                    {
                        case AppendResult.Appended:
                            stored.Add(messages[k]);
                            head = head! with { LastSeq = messages[k].Seq };
                            replies[index] = new SendReply { Ack = messages[k].ToAck() };
                            break;
                        case AppendResult.DuplicateClientMsgId:
                            // A repeat of an earlier batch: its original ack; the seq stays free for the next message.
                            var earlier = await state.FindByClientMsgIdAsync(sender, messages[k].ClientMsgId, cancellationToken)
                                ?? throw new InvalidOperationException($"Session {head!.SessionId} refused a repeat of {messages[k].ClientMsgId} it cannot find.");
                            replies[index] = new SendReply { Ack = earlier.ToAck() };
                            break;
                        default:
                            FailUnanswered("the session changed meanwhile; try again");
                            return true;
                    }
                }

                if (results.Count == 0)
                {
                    FailUnanswered("the session changed meanwhile; try again");
                    return true;
                }

                next += results.Count;
            }

            return false;
        }

        void FailUnanswered(string message)
        {
            foreach (var index in pending)
            {
                replies[index] ??= ErrorReply(ErrorCodes.Unavailable, message, sends[index].ClientMsgId);
            }
        }
    }

    private void Validate(SessionHead? head, string sessionId, string sender, SendCommand command)
    {
        if (string.IsNullOrEmpty(command.ClientMsgId) || command.ClientMsgId.Length > MaxClientMsgIdLength)
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, $"clientMsgId must be 1 to {MaxClientMsgIdLength} characters");
        }

        if (command.SessionId != sessionId)
        {
            throw Invalid($"a send to {command.SessionId} in a batch of {sessionId}");
        }

        EnsureMember(head, sessionId, sender);
        if (string.IsNullOrEmpty(command.Content))
        {
            throw Invalid("content is empty");
        }

        if (command.Content.Length > _options.MaxContentLength)
        {
            throw Invalid($"content is longer than {_options.MaxContentLength} characters");
        }
    }

    /// <summary>The reply a send that got an error has, naming the send by its client message id.</summary>
    public static SendReply ErrorReply(string code, string message, string clientMsgId) =>
        new() { Error = new Error { Code = code, Message = message, ClientMsgId = clientMsgId } };

    public async Task<SyncResult> SyncAsync(ISessionState state, SessionHead? head, string caller, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        head = EnsureMember(head, state.SessionId, caller);
        if (afterSeq < 0)
        {
            throw Invalid("afterSeq must not be negative");
        }

        if (limit < 0)
        {
            throw Invalid("limit must not be negative");
        }

        var pageSize = limit == 0 ? _options.DefaultPageSize : Math.Min(limit, _options.MaxPageSize);
        var page = await state.ReadAsync(afterSeq, pageSize + 1, cancellationToken);
        var result = new SyncResult
        {
            SessionId = head.SessionId,
            HasMore = page.Count > pageSize,
            LastSeq = head.LastSeq,
        };
        var content = 0;
        for (var i = 0; i < page.Count && i < pageSize; i++)
        {
            content += page[i].Content.Length;
            if (i > 0 && content > _options.MaxPageContentLength)
            {
                result.HasMore = true;
                break;
            }

            result.Messages.Add(page[i].ToPush());
        }

        // Syncs read without the session's turn: a message stored after the head was read may be in the page.
        if (page.Count > 0)
        {
            result.LastSeq = Math.Max(result.LastSeq, page[^1].Seq);
        }

        return result;
    }

    /// <summary>Sessions per page of a session list: the caller's limit within bounds, the default for 0.</summary>
    public int ListPageSize(int limit)
    {
        if (limit < 0)
        {
            throw Invalid("limit must not be negative");
        }

        return limit == 0 ? _options.DefaultPageSize : Math.Min(limit, _options.MaxPageSize);
    }

    /// <summary>What a member sees of a session in their list.</summary>
    public static SessionSummary Summarize(SessionHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var summary = new SessionSummary { SessionId = head.SessionId, Kind = head.Kind, Name = head.Name, LastSeq = head.LastSeq };
        summary.Members.AddRange(head.Members);
        return summary;
    }

    public static SessionMembers MembersOf(SessionHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        var members = new SessionMembers { SessionId = head.SessionId, Version = head.MembersVersion };
        members.Members.AddRange(head.Members);
        return members;
    }

    /// <summary>
    /// Returns the head when <paramref name="username"/> is a member. A non-member gets the very answer
    /// a missing session (a null head) gets: direct session ids can be computed from two usernames,
    /// and must not reveal who talks to whom.
    /// </summary>
    public static SessionHead EnsureMember(SessionHead? head, string sessionId, string username) =>
        head is not null && head.IsMember(username) ? head : throw SessionNotFound(sessionId);

    public static ResonanceException SessionNotFound(string sessionId) =>
        new(ErrorCodes.SessionNotFound, $"session {sessionId} does not exist");

    private static ImmutableSortedSet<string> ValidMembers(IEnumerable<string> members)
    {
        var set = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!Usernames.IsValid(member))
            {
                throw Invalid($"\"{member}\" is not a valid username");
            }

            set.Add(member);
        }

        return set.ToImmutable();
    }

    private static ResonanceException Invalid(string message) => new(ErrorCodes.InvalidArgument, message);
}
