using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resonance.Gateway.Api;
using Resonance.Gateway.Auth;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Delivery;
using Resonance.Gateway.Forwarding;
using Resonance.Gateway.Limits;
using Resonance.Gateway.Routing;
using Resonance.Hosting;

namespace Resonance.Gateway;

public static class GatewayExtensions
{
    /// <summary>The gateway's services. The host supplies <see cref="ILogicClient"/> and <see cref="IRouteStore"/>.</summary>
    public static IServiceCollection AddGateway(this IServiceCollection services)
    {
        services.AddValidatedOptions<GatewayOptions>(GatewayOptions.Section);
        services.AddGatewayAuthentication();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayCounters>();
        services.TryAddSingleton<RouteReporter>();
        services.AddHostedService(provider => provider.GetRequiredService<RouteReporter>());
        services.TryAddSingleton<ConnectionRegistry>();
        services.TryAddSingleton<ConnectionSlots>();
        services.TryAddSingleton<OriginAllowList>();
        services.TryAddSingleton<SendRateLimiter>();
        services.AddGatewayForwardedHeaders();
        services.AddGatewayRateLimiting();
        services.TryAddSingleton<PacketHandler>();
        services.TryAddSingleton<WebSocketEndpoint>();
        services.TryAddSingleton<PushBatchWriter>();
        services.TryAddSingleton<IBroadcaster, LocalBroadcaster>();
        services.TryAddSingleton<IdleConnectionSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<IdleConnectionSweeper>());
        services.AddHostedService<ConnectionDrainer>();
        services.AddHealthChecks().AddCheck<GatewayHealthCheck>("gateway");
        return services;
    }

    /// <summary>The WebSocket at <c>/ws</c> and the REST API under <c>/api/v1</c>.</summary>
    public static IEndpointRouteBuilder MapGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.UseGatewayForwardedHeaders();
        app.MapChatPage();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = options.HeartbeatInterval });
        app.UseAuthentication();

        // After authentication, so that limits are kept per user; before authorization, so that requests with
        // bad tokens count against their address.
        app.UseRateLimiter();
        app.UseAuthorization();

        app.Map("/ws", (HttpContext context, WebSocketEndpoint endpoint) => endpoint.AcceptAsync(context)).RequireAuthorization();

        var api = app.MapGroup("/api/v1").AddEndpointFilter<ResonanceProblemFilter>().RequireRateLimiting(RestRateLimiting.RestPolicy);
        api.MapDevTokenEndpoint();
        api.MapSessionEndpoints();
        api.MapAdminEndpoints();
        api.MapHealthEndpoint();
        return app;
    }
}
