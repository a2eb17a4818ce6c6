namespace Resonance.Logic.Sessions;

/// <summary>What <see cref="ISessionState.AppendAsync"/> did.</summary>
public enum AppendResult
{
    /// <summary>Stored, and the session's last seq is now the message's.</summary>
    Appended,

    /// <summary>The sender already stored a message with this client message id: a repeat, nothing stored.</summary>
    DuplicateClientMsgId,

    /// <summary>The session is not at the seq before this one (another writer moved it, or the session is gone): nothing stored.</summary>
    SeqConflict,
}
