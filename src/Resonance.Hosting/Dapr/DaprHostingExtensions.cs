using Dapr.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Resonance.Hosting.Dapr;

public static class DaprHostingExtensions
{
    /// <summary>Open on an app guarded as a whole: Kubernetes probes and metrics scrapes do not carry the token.</summary>
    private static readonly PathString[] OpenRoutes = ["/healthz", "/metrics"];

    /// <summary>
    /// What every Resonance service needs to run as a Dapr app: it binds <c>APP_PORT</c> when no URL is
    /// configured (<c>dapr run</c> sets the variable, not <c>ASPNETCORE_URLS</c>), talks to its sidecar at the
    /// configured endpoints, waits for the sidecar before background work, and guards internal endpoints with the app API token.
    /// </summary>
    public static WebApplicationBuilder AddResonanceDaprApp(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && configuration["APP_PORT"] is { Length: > 0 } appPort)
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{appPort}");
        }

        var sidecar = DaprSidecarOptions.From(configuration);
        builder.Services.TryAddSingleton(sidecar);
        builder.Services.AddValidatedOptions<DaprAppOptions>(DaprAppOptions.Section)
            .Configure<IHostEnvironment>((options, environment) =>
            {
                if (environment.IsDevelopment() && configuration[$"{DaprAppOptions.Section}:{nameof(DaprAppOptions.RequireAppApiToken)}"] is null)
                {
                    options.RequireAppApiToken = false;
                }
            })
            .Validate(options => !options.RequireAppApiToken || sidecar.AppApiToken.Length > 0,
                "APP_API_TOKEN is not set, so the internal endpoints would be open to anyone who reaches this app. Set it (and the same token for daprd), or Dapr:RequireAppApiToken=false for a trial.");
        builder.Services.AddDaprClient(client =>
        {
            client.UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString());
            if (sidecar.DaprApiToken.Length > 0)
            {
                client.UseDaprApiToken(sidecar.DaprApiToken);
            }
        });
        builder.Services.TryAddSingleton<AppApiTokenFilter>();
        builder.Services.TryAddSingleton<SidecarReadiness>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SidecarReadiness>());
        builder.Services.TryAddSingleton<SidecarInvoker>();
        return builder;
    }

    /// <summary>The endpoints daprd calls (<c>/dapr/subscribe</c>) and CloudEvent unwrapping for subscription routes.</summary>
    public static WebApplication UseResonanceDaprApp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseCloudEvents();
        app.MapSubscribeHandler();
        return app;
    }

    /// <summary>
    /// For an app that serves daprd only (logic, task): every route but health and metrics needs the app API token,
    /// the SDK's actor routes included. The gateway, which also serves clients, guards its internal endpoints one by one.
    /// </summary>
    public static WebApplication UseAppApiTokenOnEveryRoute(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var filter = app.Services.GetRequiredService<AppApiTokenFilter>();
        app.Use(async (http, next) =>
        {
            if (OpenRoutes.Any(path => http.Request.Path.StartsWithSegments(path)) || filter.IsPresented(http.Request))
            {
                await next(http);
                return;
            }

            await AppApiTokenFilter.Refusal.ExecuteAsync(http);
        });
        return app;
    }
}
