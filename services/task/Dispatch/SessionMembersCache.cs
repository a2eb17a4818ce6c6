using System.Collections.Concurrent;
using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>Member lists by session, refetched only when a push event names a newer membership version.</summary>
public sealed class SessionMembersCache(ISessionMembersSource source)
{
    private readonly ConcurrentDictionary<string, SessionMembers> _members = new(StringComparer.Ordinal);

    public async ValueTask<SessionMembers> GetAsync(string sessionId, long atLeastVersion, CancellationToken cancellationToken)
    {
        if (_members.TryGetValue(sessionId, out var cached) && cached.Version >= atLeastVersion)
        {
            return cached;
        }

        var fresh = await source.GetMembersAsync(sessionId, cancellationToken);
        _members.AddOrUpdate(sessionId, fresh, (_, current) => current.Version >= fresh.Version ? current : fresh);
        return fresh;
    }
}
