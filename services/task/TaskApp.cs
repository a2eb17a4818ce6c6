using Microsoft.AspNetCore.Builder;
using Resonance.Hosting;
using Resonance.Hosting.Dapr;
using Resonance.TaskService.Dapr;

namespace Resonance.TaskService;

/// <summary>The task service as its own Dapr app (app-id <c>task</c>; replicas compete for events).</summary>
public static class TaskApp
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="configure">Lets tests change configuration or services before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Dapr's redelivery (RETRY) is the retry on this engine.
        var builder = DaprAppBuilder.Create(args, configure, _ =>
            new Dictionary<string, string?> { [$"{TaskOptions.Section}:{nameof(TaskOptions.MaxRetry)}"] = "0" });
        builder.Services.AddDaprTask();

        var app = builder.Build();
        app.UseAppApiTokenOnEveryRoute();
        app.MapResonanceDefaults();
        app.UseResonanceDaprApp();
        app.MapPushEventsSubscription();
        app.MapHealthChecks("/healthz");
        return app;
    }
}
