using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>Durable session state. Callers serialize commands per session; the store only persists.</summary>
public interface ISessionStore
{
    Task<SessionHead?> LoadAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Stores a new session; returns false (and stores nothing) when the id is taken.</summary>
    Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken);

    Task AddMembersAsync(string sessionId, IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the message and advances the session's last seq; completes only once durable. Returns
    /// false, storing nothing, when its sender already stored a message with the same client message id.
    /// </summary>
    Task<bool> AppendAsync(StoredMessage message, CancellationToken cancellationToken);

    Task<StoredMessage?> FindByClientMsgIdAsync(string sessionId, string from, string clientMsgId, CancellationToken cancellationToken);

    /// <summary>Messages with seq greater than <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<SessionSummary>> ListForMemberAsync(string username, CancellationToken cancellationToken);
}
