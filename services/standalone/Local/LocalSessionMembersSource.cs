using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

public sealed class LocalSessionMembersSource(SessionDirectory sessions) : ISessionMembersSource
{
    public Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        sessions.GetMembersAsync(sessionId, cancellationToken);
}
