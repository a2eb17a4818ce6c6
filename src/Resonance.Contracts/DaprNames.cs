namespace Resonance.Contracts;

/// <summary>
/// The names the Dapr engine's apps agree on: app-ids, components, topics, actor types and the
/// internal routes one app invokes on another. Component YAML and manifests must use the same.
/// </summary>
public static class DaprNames
{
    /// <summary>App-id of the logic service (every replica shares it).</summary>
    public const string LogicAppId = "logic";

    /// <summary>Pub/sub component that carries push events and broadcasts.</summary>
    public const string PubSub = "pubsub";

    /// <summary>Topic of <c>PushEvent</c>s, published by logic, consumed by task.</summary>
    public const string PushEventsTopic = "push-events";

    /// <summary>Where push events that task cannot read (poison) or could not deliver after every retry end up.</summary>
    public const string PushEventsDeadLetterTopic = "push-events-dead";

    /// <summary>Topic of admin broadcasts; every gateway app-id subscribes, so each gets every broadcast.</summary>
    public const string BroadcastsTopic = "broadcasts";

    /// <summary>State store of user → gateway routes; its key prefix must be shared by all apps (<c>keyPrefix: name</c> or <c>none</c>).</summary>
    public const string RouteStore = "routes";

    /// <summary>Actor type of a session: one actor per session id.</summary>
    public const string SessionActorType = "SessionActor";

    /// <summary>Actor type of a user's session index: one actor per username.</summary>
    public const string UserSessionsActorType = "UserSessionsActor";

    /// <summary>Header that carries the authenticated user on internal calls (set by the gateway, read by logic).</summary>
    public const string UserHeader = "resonance-user";

    /// <summary>Header daprd sends on every call into the app when the app API token is configured.</summary>
    public const string AppApiTokenHeader = "dapr-api-token";

    /// <summary>Content type of protobuf bodies on internal calls and pub/sub (binary, so it travels as <c>data_base64</c>).</summary>
    public const string ProtobufContentType = "application/octet-stream";
}
