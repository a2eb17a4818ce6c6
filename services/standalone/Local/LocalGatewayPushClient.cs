using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.Gateway.Delivery;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

/// <summary>Hands batches to the one gateway in this process.</summary>
public sealed class LocalGatewayPushClient(PushBatchWriter writer, IOptions<GatewayOptions> gateway) : IGatewayPushClient
{
    private readonly string _gatewayId = gateway.Value.GatewayId;

    public Task<PushResult> PushAsync(string gatewayId, PushBatch batch, CancellationToken cancellationToken)
    {
        if (gatewayId != _gatewayId)
        {
            throw new InvalidOperationException($"No gateway {gatewayId} in this process (only {_gatewayId}).");
        }

        return Task.FromResult(writer.Write(batch));
    }
}
