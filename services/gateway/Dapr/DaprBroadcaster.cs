using Dapr.Client;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Delivery;

namespace Resonance.Gateway.Dapr;

/// <summary>
/// Publishes a broadcast to topic <c>broadcasts</c>; every gateway app-id subscribes, so each gets it once
/// and writes it to its own connections (this one included).
/// </summary>
public sealed class DaprBroadcaster(DaprClient dapr) : IBroadcaster
{
    public async Task<BroadcastResponse> BroadcastAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.BroadcastsTopic, broadcast.ToByteArray(), DaprNames.ProtobufContentType, cancellationToken: cancellationToken);
        return new BroadcastResponse { Published = true };
    }
}
