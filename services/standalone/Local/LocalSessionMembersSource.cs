using Resonance.Contracts.V1;
using Resonance.Logic.Local;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>
/// Members straight from the loaded sessions. Not through the session service: that one publishes
/// into task, which asks this for members, and the two would depend on each other.
/// </summary>
public sealed class LocalSessionMembersSource(SessionDirectory sessions) : ISessionMembersSource
{
    public Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        sessions.GetMembersAsync(sessionId, cancellationToken);
}
