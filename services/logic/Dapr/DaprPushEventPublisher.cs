using Dapr.Client;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;

namespace Resonance.Logic.Dapr;

/// <summary>
/// Publishes push events to pub/sub <c>pubsub</c>, topic <c>push-events</c>, as binary protobuf with
/// content type <c>application/octet-stream</c>: daprd passes that as <c>data_base64</c> in the CloudEvent,
/// where any other non-JSON type would be turned into a string. The session id is the partition key, so
/// brokers that partition (Kafka, Event Hubs) keep one session's events in one partition.
/// </summary>
public sealed class DaprPushEventPublisher(DaprClient dapr) : IPushEventPublisher
{
    public Task PublishAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushEvent);
        var metadata = new Dictionary<string, string> { ["partitionKey"] = pushEvent.Message.SessionId };
        return dapr.PublishByteEventAsync(DaprNames.PubSub, DaprNames.PushEventsTopic, pushEvent.ToByteArray(), DaprNames.ProtobufContentType, metadata, cancellationToken);
    }
}
