namespace Resonance.Logic.Sessions;

/// <summary>
/// The per-user index: which sessions each user belongs to. Written before the session itself
/// changes, so a listed id can name a session whose creation failed: readers skip those.
/// </summary>
public interface ISessionIndex
{
    /// <summary>Records that <paramref name="usernames"/> belong to the session; safe to repeat.</summary>
    Task AddAsync(string sessionId, IReadOnlyCollection<string> usernames, CancellationToken cancellationToken);

    /// <summary>The user's session ids in ordinal order, after <paramref name="afterSessionId"/> (empty: from the start), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<string>> ListAsync(string username, string afterSessionId, int limit, CancellationToken cancellationToken);
}
