using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Hosting.Dapr;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Dapr;

/// <summary>Members from logic by service invocation (app-id <c>logic</c>); task caches them by version.</summary>
public sealed class LogicMembersSource(SidecarInvoker invoker) : ISessionMembersSource
{
    public Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        invoker.InvokeAsync<SessionMembers>(DaprNames.LogicAppId, HttpMethod.Get, InternalRoutes.MembersOf(sessionId), null, null, cancellationToken);
}
