using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>Delivers one batch to one gateway, addressed by its id.</summary>
public interface IGatewayPushClient
{
    Task<PushResult> PushAsync(string gatewayId, PushBatch batch, CancellationToken cancellationToken);
}
