using Dapr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Delivery;
using Resonance.Hosting;
using Resonance.Hosting.Dapr;

namespace Resonance.Gateway.Dapr;

/// <summary>What only the sidecar may call on a gateway: task's pushes (by invocation) and broadcasts (by subscription).</summary>
public static class GatewayInternalEndpoints
{
    public static IEndpointRouteBuilder MapGatewayInternalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(InternalRoutes.Push, async (HttpContext http, PushBatchWriter writer) =>
                ProtobufBody.Result(writer.Write(await ProtobufBody.ReadAsync<PushBatch>(http.Request))))
            .AddEndpointFilter<AppApiTokenFilter>()
            .AddEndpointFilter<ResonanceProblemFilter>();

        // A broadcast that cannot be read is dropped: redelivering it would never help.
        app.MapPost(InternalRoutes.Broadcasts, async (HttpContext http, PushBatchWriter writer) =>
            {
                Broadcast broadcast;
                try
                {
                    broadcast = await ProtobufBody.ReadAsync<Broadcast>(http.Request);
                }
                catch (ResonanceException)
                {
                    return Results.Json(new { status = "DROP" });
                }

                writer.WriteToAll(new WsPacket { Broadcast = broadcast });
                return Results.Json(new { status = "SUCCESS" });
            })
            .AddEndpointFilter<AppApiTokenFilter>()
            .WithTopic(DaprNames.PubSub, DaprNames.BroadcastsTopic);
        return app;
    }
}
