using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration[$"{GatewayOptions.Section}:{nameof(GatewayOptions.GatewayId)}"])
            && builder.Configuration["APP_ID"] is { Length: > 0 } appId)
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { [$"{GatewayOptions.Section}:{nameof(GatewayOptions.GatewayId)}"] = appId },
            });
        }

        builder.RequireEngine(EngineSelection.Dapr, "For the Local engine run services/standalone, which hosts every service in one process.");
        builder.AddResonanceDefaults();
        builder.AddResonanceDaprApp();
        builder.Services.AddDaprGateway();

        var app = builder.Build();
        app.MapResonanceDefaults();
        app.UseResonanceDaprApp();
        app.MapGatewayInternalEndpoints();
        app.MapGateway();
        return app;
    }
}
