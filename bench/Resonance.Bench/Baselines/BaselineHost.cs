using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Resonance.Bench.Baselines;

/// <summary>The Kestrel host both baselines run on: a free loopback port, no configuration files, warnings to standard error.</summary>
internal static class BaselineHost
{
    public static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });

        // Nothing from appsettings.json or the environment: the bench's output folder holds the standalone host's settings.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }

    /// <summary>Stops the host, giving open requests (sockets) 15 s to end, and releases it.</summary>
    public static async ValueTask StopAsync(WebApplication app)
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await app.StopAsync(stopping.Token);
        }

        await app.DisposeAsync();
    }
}
