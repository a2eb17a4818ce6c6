using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // Defaults of this engine, below every other source: Dapr's redelivery (RETRY) is the retry here.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { [$"{TaskOptions.Section}:{nameof(TaskOptions.MaxRetry)}"] = "0" },
        });
        configure?.Invoke(builder);
        builder.RequireEngine(EngineSelection.Dapr, "For the Local engine run services/standalone, which hosts every service in one process.");
        builder.AddResonanceDefaults();
        builder.AddResonanceDaprApp();
        builder.Services.AddDaprTask();

        var app = builder.Build();
        app.MapResonanceDefaults();
        app.UseResonanceDaprApp();
        app.MapPushEventsSubscription();
        app.MapHealthChecks("/healthz");
        return app;
    }
}
