namespace Resonance.Contracts;

/// <summary>
/// Paths of the internal HTTP API, reached only through the Dapr sidecar (service invocation).
/// Bodies are protobuf (<see cref="DaprNames.ProtobufContentType"/>); errors are problem details with a <c>code</c>.
/// </summary>
public static class InternalRoutes
{
    /// <summary>Gateway: <c>PushBatch</c> in, <c>PushResult</c> out.</summary>
    public const string Push = "/internal/v1/push";

    /// <summary>Gateway: subscription route of <see cref="DaprNames.BroadcastsTopic"/>.</summary>
    public const string Broadcasts = "/internal/v1/broadcasts";

    /// <summary>Task: subscription route of <see cref="DaprNames.PushEventsTopic"/>.</summary>
    public const string PushEvents = "/internal/v1/push-events";

    /// <summary>Logic: <c>CreateSessionRequest</c> → <c>CreateSessionResponse</c>.</summary>
    public const string CreateSession = "/internal/v1/sessions/create";

    /// <summary>Logic: <c>ListSessionsRequest</c> → <c>ListSessionsResponse</c>.</summary>
    public const string ListSessions = "/internal/v1/sessions/list";

    /// <summary>Logic: <c>AddMembersRequest</c> → <c>AddMembersResponse</c>, for the session named in the path.</summary>
    public const string AddMembers = "/internal/v1/sessions/{sessionId}/members/add";

    /// <summary>Logic: <c>SessionMembers</c> of the session named in the path (task's member lookup).</summary>
    public const string Members = "/internal/v1/sessions/{sessionId}/members";

    /// <summary>Logic: <c>SendCommand</c> → <c>SendAck</c>.</summary>
    public const string Send = "/internal/v1/send";

    /// <summary>Logic: <c>SendManyCommand</c> → <c>SendManyResult</c> (one reply per send, in order).</summary>
    public const string SendMany = "/internal/v1/send-many";

    /// <summary>Logic: <c>SyncCommand</c> → <c>SyncResult</c>.</summary>
    public const string Sync = "/internal/v1/sync";

    public static string AddMembersOf(string sessionId) => $"/internal/v1/sessions/{Uri.EscapeDataString(sessionId)}/members/add";

    public static string MembersOf(string sessionId) => $"/internal/v1/sessions/{Uri.EscapeDataString(sessionId)}/members";
}
