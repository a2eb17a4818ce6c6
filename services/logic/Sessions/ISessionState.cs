namespace Resonance.Logic.Sessions;

/// <summary>
/// The durable state of one session, as the engine that hosts it keeps it (a SQLite file, a Dapr
/// actor's state). The caller runs one command at a time per session; the state only persists.
/// </summary>
public interface ISessionState
{
    string SessionId { get; }

    /// <summary>The session, or null when it does not exist.</summary>
    Task<SessionHead?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores a new session; returns false (and stores nothing) when it already exists.</summary>
    Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken);

    Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the message and advances the session's last seq to its seq; completes only once durable.
    /// Stores nothing unless the answer is <see cref="AppendResult.Appended"/>.
    /// </summary>
    Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Stores messages of consecutive seqs in order, each as <see cref="AppendAsync"/> would, in one durable write
    /// (one commit): a hot session pays for one flush per batch, not per message. Stops at the first message that
    /// is not <see cref="AppendResult.Appended"/>, storing neither it nor any after it (their seqs would be wrong);
    /// those before it are stored. A store that caps what one write holds may try only the first messages; the caller
    /// sends the rest in another call. Returns one result per message tried: all appended, but perhaps the last.
    /// </summary>
    Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken);

    /// <summary>The message <paramref name="from"/> sent with this client message id, if any.</summary>
    Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken);

    /// <summary>Messages with seq greater than <paramref name="afterSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken);
}
