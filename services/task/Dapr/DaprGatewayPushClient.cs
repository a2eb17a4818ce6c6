using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Hosting.Dapr;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Dapr;

/// <summary>A batch to a gateway by service invocation: the gateway's id is its app-id.</summary>
public sealed class DaprGatewayPushClient(SidecarInvoker invoker) : IGatewayPushClient
{
    public Task<PushResult> PushAsync(string gatewayId, PushBatch batch, CancellationToken cancellationToken) =>
        invoker.InvokeAsync<PushResult>(gatewayId, HttpMethod.Post, InternalRoutes.Push, batch, null, cancellationToken);
}
