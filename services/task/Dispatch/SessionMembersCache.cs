using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>
/// Member lists by session, refetched only when a push event names a newer membership version.
/// Past <see cref="TaskOptions.MaxCachedSessions"/> it starts over empty: refetching is cheap, memory is not.
/// </summary>
public sealed class SessionMembersCache(ISessionMembersSource source, IOptions<TaskOptions> options)
{
    private readonly int _maxCached = options.Value.MaxCachedSessions;

    private readonly ConcurrentDictionary<string, SessionMembers> _members = new(StringComparer.Ordinal);

    public int Count => _members.Count;

    public async ValueTask<SessionMembers> GetAsync(string sessionId, long atLeastVersion, CancellationToken cancellationToken)
    {
        if (_members.TryGetValue(sessionId, out var cached) && cached.Version >= atLeastVersion)
        {
            return cached;
        }

        var fresh = await source.GetMembersAsync(sessionId, cancellationToken);
        if (_members.Count >= _maxCached)
        {
            _members.Clear();
        }

        _members.AddOrUpdate(sessionId, fresh, (_, current) => current.Version >= fresh.Version ? current : fresh);
        return fresh;
    }
}
