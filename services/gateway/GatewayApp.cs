using Microsoft.AspNetCore.Builder;
using Resonance.Gateway.Dapr;
using Resonance.Hosting;
using Resonance.Hosting.Dapr;

namespace Resonance.Gateway;

/// <summary>
/// A gateway as its own Dapr app. Each gateway has its own app-id (<c>gateway-1</c>, <c>gateway-2</c>, …),
/// which is also its <see cref="GatewayOptions.GatewayId"/>: taken from <c>APP_ID</c> unless <c>Gateway:GatewayId</c> is set.
/// </summary>
public static class GatewayApp
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="configure">Lets tests change configuration or services before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = DaprAppBuilder.Create(args, configure, configuration =>
            new Dictionary<string, string?> { [$"{GatewayOptions.Section}:{nameof(GatewayOptions.GatewayId)}"] = configuration["APP_ID"] });
        builder.Services.AddDaprGateway();

        var app = builder.Build();
        app.MapResonanceDefaults();
        app.MapHealthChecks("/healthz"); // probed by daprd's app health check and by Kubernetes, as on logic and task
        app.UseResonanceDaprApp();
        app.MapGatewayInternalEndpoints();
        app.MapGateway();
        return app;
    }
}
