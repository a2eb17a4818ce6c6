using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>One session's view of <see cref="SqliteSessionStore"/>.</summary>
internal sealed class SqliteSessionState(SqliteSessionStore store, string sessionId) : ISessionState
{
    public string SessionId => sessionId;

    public Task<SessionHead?> LoadAsync(CancellationToken cancellationToken) => store.LoadAsync(sessionId, cancellationToken);

    public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        head.SessionId == sessionId
            ? store.CreateAsync(head, createdAt, cancellationToken)
            : throw new ArgumentException($"The head is of session {head.SessionId}, not {sessionId}.", nameof(head));

    public Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
        store.AddMembersAsync(sessionId, added, membersVersion, cancellationToken);

    public Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken) =>
        message.SessionId == sessionId
            ? store.AppendAsync(message, cancellationToken)
            : throw new ArgumentException($"The message is of session {message.SessionId}, not {sessionId}.", nameof(message));

    public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            if (message.SessionId != sessionId)
            {
                throw new ArgumentException($"A message is of session {message.SessionId}, not {sessionId}.", nameof(messages));
            }
        }

        return store.AppendManyAsync(messages, cancellationToken);
    }

    public Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken) =>
        store.FindByClientMsgIdAsync(sessionId, from, clientMsgId, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
        store.ReadAsync(sessionId, afterSeq, limit, cancellationToken);
}
