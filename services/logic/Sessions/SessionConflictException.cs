namespace Resonance.Logic.Sessions;

/// <summary>
/// A command ran on a stale head: the stored session is not where the head said (another writer
/// moved it). Nothing was stored; the host reloads the session, and the caller may retry.
/// </summary>
public sealed class SessionConflictException : Exception
{
    public SessionConflictException(string sessionId, long seq)
        : base($"Session {sessionId} is not at seq {seq - 1}; refusing to store seq {seq}.")
    {
        SessionId = sessionId;
    }

    public SessionConflictException()
    {
        SessionId = string.Empty;
    }

    public SessionConflictException(string message)
        : base(message)
    {
        SessionId = string.Empty;
    }

    public SessionConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        SessionId = string.Empty;
    }

    public string SessionId { get; }
}
