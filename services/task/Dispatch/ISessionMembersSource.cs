using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>Where task learns who is in a session (logic).</summary>
public interface ISessionMembersSource
{
    Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken);
}
