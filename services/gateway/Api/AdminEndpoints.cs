using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Auth;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Delivery;

namespace Resonance.Gateway.Api;

/// <summary>The gateway's admin API: stats, connections and broadcast, for the admin role.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/gateway").RequireAuthorization(GatewayClaims.AdminPolicy);

        admin.MapGet("/stats", (ConnectionRegistry registry, GatewayCounters counters, IOptions<GatewayOptions> options) => Results.Ok(new GatewayStats(
            options.Value.GatewayId,
            registry.ConnectionCount,
            registry.UserCount,
            counters.ConnectionsAccepted,
            counters.FramesReceived,
            counters.FramesSent,
            counters.PushBatches,
            counters.PushRecipients,
            counters.PushRecipientsMissing,
            counters.SlowConsumerCloses,
            counters.IdleCloses,
            counters.TokenExpiryCloses,
            counters.BadPackets,
            counters.SyncsRefused,
            counters.SendsRateLimited,
            counters.RouteFlushFailures,
            GC.GetTotalMemory(forceFullCollection: false))));

        admin.MapGet("/connections", (ConnectionRegistry registry) =>
        {
            var list = new List<ConnectionInfo>(registry.ConnectionCount);
            foreach (var connection in registry.All)
            {
                list.Add(new ConnectionInfo(connection.Id, connection.Username, connection.Encoding.ToString(), connection.ConnectedAt,
                    connection.QueuedFrames, connection.QueuedBytes, connection.IdleFor.TotalSeconds));
            }

            return Results.Ok(list);
        });

        admin.MapPost("/broadcast", async (HttpContext http, IBroadcaster broadcaster, TimeProvider time) =>
        {
            var request = await ProtobufJsonBody.ReadAsync<BroadcastRequest>(http.Request);
            if (string.IsNullOrEmpty(request.Content))
            {
                throw new ResonanceException(ErrorCodes.InvalidArgument, "content is empty");
            }

            var broadcast = new Broadcast
            {
                Content = request.Content,
                From = SessionEndpoints.UsernameOf(http),
                SentAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            };
            return new ProtobufJsonResult(await broadcaster.BroadcastAsync(broadcast, http.RequestAborted));
        });

        return api;
    }

    private sealed record GatewayStats(
        string GatewayId,
        int Connections,
        int Users,
        long ConnectionsAccepted,
        long FramesReceived,
        long FramesSent,
        long PushBatches,
        long PushRecipients,
        long PushRecipientsMissing,
        long SlowConsumerCloses,
        long IdleCloses,
        long TokenExpiryCloses,
        long BadPackets,
        long SyncsRefused,
        long SendsRateLimited,
        long RouteFlushFailures,
        long ManagedMemoryBytes);

    private sealed record ConnectionInfo(
        string Id,
        string Username,
        string Encoding,
        DateTimeOffset ConnectedAt,
        int QueuedFrames,
        long QueuedBytes,
        double IdleSeconds);
}
