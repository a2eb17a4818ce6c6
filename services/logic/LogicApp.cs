using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resonance.Hosting;
using Resonance.Hosting.Dapr;
using Resonance.Logic.Api;
using Resonance.Logic.Dapr;

namespace Resonance.Logic;

/// <summary>The logic service as its own Dapr app (app-id <c>logic</c>; any number of replicas).</summary>
public static class LogicApp
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="configure">Lets tests change configuration or services before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = DaprAppBuilder.Create(args, configure);
        var sidecar = DaprSidecarOptions.From(builder.Configuration);
        var timeout = builder.Configuration.GetSection(DaprAppOptions.Section).Get<DaprAppOptions>()?.InvokeTimeout ?? new DaprAppOptions().InvokeTimeout;
        builder.Services.AddDaprLogic(sidecar, timeout);

        var app = builder.Build();
        app.UseAppApiTokenOnEveryRoute();
        app.MapResonanceDefaults();
        app.UseResonanceDaprApp();
        app.MapActorsHandlers(); // also /healthz
        app.MapLogicEndpoints();
        return app;
    }
}
