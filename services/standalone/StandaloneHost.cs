using Resonance.Gateway;
using Resonance.Hosting;
using Resonance.Logic;
using Resonance.Standalone.Local;
using Resonance.TaskService;

namespace Resonance.Standalone;

/// <summary>Gateway, logic and task in one process on the Local engine: no Dapr, no other server.</summary>
public static class StandaloneHost
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="configure">Lets tests change configuration or services before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.RequireEngine(EngineSelection.Local, "For the Dapr engine run services/gateway, services/logic and services/task, each beside its sidecar (dapr run -f .).");
        builder.AddResonanceDefaults();
        builder.Services.AddLocalLogic();
        builder.Services.AddTaskService();
        builder.Services.AddGateway();
        builder.Services.AddLocalEngine();
        configure?.Invoke(builder);
        DevSigningKey.ApplyTo(builder);

        var app = builder.Build();
        app.MapResonanceDefaults();
        app.MapGateway();
        return app;
    }
}
