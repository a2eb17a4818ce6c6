using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>
/// The rules of a session (membership, seq allocation, idempotent send, paging), written once
/// for every engine. The caller runs one command at a time per session and keeps the head it returns.
/// </summary>
public sealed class SessionCommands(ISessionStore store, IOptions<LogicOptions> options, TimeProvider time)
{
    private const int MaxClientMsgIdLength = 128;
    private const int MaxNameLength = 128;

    private readonly LogicOptions _options = options.Value;

    public SessionHead NewSession(string creator, CreateSessionRequest request)
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

                return new SessionHead(SessionIds.NewGroup(), SessionKinds.Group, name, members, 1, 0);
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

    public async Task<SessionHead> AddMembersAsync(SessionHead head, string caller, IEnumerable<string> members, CancellationToken cancellationToken)
    {
        EnsureMember(head, caller);
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
        await store.AddMembersAsync(head.SessionId, added, next.MembersVersion, cancellationToken);
        return next;
    }

    /// <summary>
    /// Stores the message unless this sender already sent this client message id; returns the
    /// new head, the ack, and the message when it is new (to be published), else null.
    /// </summary>
    public async Task<SendOutcome> SendAsync(SessionHead head, string sender, SendCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(command.ClientMsgId) || command.ClientMsgId.Length > MaxClientMsgIdLength)
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, $"clientMsgId must be 1 to {MaxClientMsgIdLength} characters");
        }

        EnsureMember(head, sender);
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
        if (!await store.AppendAsync(message, cancellationToken))
        {
            // A repeat: answer with the original ack; the seq stays free for the next message.
            var earlier = await store.FindByClientMsgIdAsync(head.SessionId, sender, command.ClientMsgId, cancellationToken)
                ?? throw new InvalidOperationException($"Session {head.SessionId} refused a repeat of {command.ClientMsgId} it cannot find.");
            return new SendOutcome(head, earlier.ToAck(), null);
        }

        return new SendOutcome(head with { LastSeq = message.Seq }, message.ToAck(), message);
    }

    public async Task<SyncResult> SyncAsync(SessionHead head, string caller, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        EnsureMember(head, caller);
        if (afterSeq < 0)
        {
            throw Invalid("afterSeq must not be negative");
        }

        if (limit < 0)
        {
            throw Invalid("limit must not be negative");
        }

        var pageSize = limit == 0 ? _options.DefaultPageSize : Math.Min(limit, _options.MaxPageSize);
        var page = await store.ReadAsync(head.SessionId, afterSeq, pageSize + 1, cancellationToken);
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

    /// <summary>
    /// A non-member gets the very answer a missing session gets: direct session ids can be
    /// computed from two usernames, and must not reveal who talks to whom.
    /// </summary>
    public static void EnsureMember(SessionHead head, string username)
    {
        if (!head.IsMember(username))
        {
            throw SessionNotFound(head.SessionId);
        }
    }

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
