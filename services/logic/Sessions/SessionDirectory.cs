using System.Collections.Concurrent;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>
/// The sessions loaded in this process: each one's head and the lock that lets one command run
/// at a time (the role a Dapr actor's turn plays on the Dapr engine). Loaded from the store on first use.
/// </summary>
public sealed class SessionDirectory(ISessionStore store)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SessionSlot?>>> _slots = new(StringComparer.Ordinal);

    public async Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken)
    {
        var head = (await GetAsync(sessionId, cancellationToken)).Head;
        var members = new SessionMembers { SessionId = sessionId, Version = head.MembersVersion };
        members.Members.AddRange(head.Members);
        return members;
    }

    public async Task<SessionSlot> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsValid(sessionId))
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "sessionId is not a valid session id");
        }

        var lazy = _slots.GetOrAdd(sessionId, id => new Lazy<Task<SessionSlot?>>(() => LoadAsync(id)));
        SessionSlot? slot;
        try
        {
            slot = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _slots.TryRemove(KeyValuePair.Create(sessionId, lazy));
            throw;
        }

        if (slot is null)
        {
            _slots.TryRemove(KeyValuePair.Create(sessionId, lazy));
            throw new ResonanceException(ErrorCodes.SessionNotFound, $"session {sessionId} does not exist");
        }

        return slot;
    }

    private async Task<SessionSlot?> LoadAsync(string sessionId)
    {
        var head = await store.LoadAsync(sessionId, CancellationToken.None);
        return head is null ? null : new SessionSlot(head);
    }
}
