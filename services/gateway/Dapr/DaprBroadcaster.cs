using Dapr.Client;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Delivery;

namespace Resonance.Gateway.Dapr;

/// <summary>
/// Publishes a broadcast to topic <c>broadcasts</c>; every gateway app-id subscribes, so each gets it once
/// and writes it to its own connections (this one included). A broadcast is for who is connected now: it
/// expires after <see cref="TimeToLive"/> (Dapr's per-message <c>ttlInSeconds</c>, enforced by daprd whatever
/// the broker), so a gateway that subscribes later, or comes back after a while, never replays old ones.
/// </summary>
public sealed class DaprBroadcaster(DaprClient dapr) : IBroadcaster
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(1);

    private static readonly Dictionary<string, string> Metadata = new() { ["ttlInSeconds"] = ((int)TimeToLive.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public async Task<BroadcastResponse> BroadcastAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        await dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.BroadcastsTopic, broadcast.ToByteArray(), DaprNames.ProtobufContentType, Metadata, cancellationToken);
        return new BroadcastResponse { Published = true };
    }
}
