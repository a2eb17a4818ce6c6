using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Resonance.Hosting.Dapr;

/// <summary>How every Resonance service starts as a Dapr app: the same builder, its own defaults and services.</summary>
public static class DaprAppBuilder
{
    /// <param name="args">Command-line arguments, read as configuration.</param>
    /// <param name="configure">Lets tests change configuration or services before anything reads them.</param>
    /// <param name="engineDefaults">Settings this app defaults to on the Dapr engine, beneath every other configuration source.</param>
    public static WebApplicationBuilder Create(string[] args, Action<WebApplicationBuilder>? configure, Func<IConfiguration, IDictionary<string, string?>>? engineDefaults = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        if (engineDefaults is not null)
        {
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = engineDefaults(builder.Configuration) });
        }

        builder.RequireEngine(EngineSelection.Dapr, "For the Local engine run services/standalone, which hosts every service in one process.");
        builder.AddResonanceDefaults();
        builder.AddResonanceDaprApp();
        return builder;
    }
}
