using Resonance.Contracts.V1;
using Resonance.Logic.Local;
using Resonance.Logic.Sessions;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>
/// Members straight from the loaded sessions. Not through <see cref="ISessionService"/>: that one
/// publishes into task, which asks this for members, and the two would depend on each other.
/// </summary>
public sealed class LocalSessionMembersSource(SessionDirectory sessions) : ISessionMembersSource
{
    public async Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken)
    {
        var head = (await sessions.GetAsync(sessionId, cancellationToken)).Head ?? throw SessionCommands.SessionNotFound(sessionId);
        return SessionCommands.MembersOf(head);
    }
}
