using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Resonance.Hosting.Logging;
using Serilog;

namespace Resonance.Hosting;

/// <summary>What every Resonance host shares: Serilog, OpenTelemetry metrics, problem details, the clock, health checks.</summary>
public static class HostingExtensions
{
    /// <summary>The meters of all Resonance services.</summary>
    public const string ResonanceMeters = "Resonance.*";

    public static WebApplicationBuilder AddResonanceDefaults(this WebApplicationBuilder builder)
    {
        // Each host its own logger: with the static one, hosts in one process (tests) would log through whichever
        // was built last, and the first to stop would silence the others.
        builder.Services.AddSerilog(
            (services, logger) => logger
            // Request lines carry ?access_token= on /ws: keep them out unless configuration asks.
            .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", Serilog.Events.LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()

            // Always, whatever the configuration: tokens never reach a sink (see the enricher).
            .Enrich.With<TokenRedactingEnricher>()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture),
            preserveStaticLogger: true);
        CacheLoggersPerCategory(builder.Services);

        // Prometheus scrapes /metrics; OTLP export is on when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ResonanceMeters)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddHealthChecks();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// Problem details for unhandled exceptions (400 for a request that could not be read, see
    /// <see cref="BadRequestExceptionHandler"/>) and for empty error responses (e.g. a query string
    /// that does not bind), and the metrics for Prometheus at <c>/metrics</c>.
    /// </summary>
    public static WebApplication MapResonanceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>Wraps the logger factory just registered (Serilog's) in <see cref="CachingLoggerFactory"/>.</summary>
    private static void CacheLoggersPerCategory(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        services.Remove(registered);
        services.AddSingleton<ILoggerFactory>(provider => new CachingLoggerFactory((ILoggerFactory)(
            registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(provider)
            ?? ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!))));
    }

    /// <summary>Binds <typeparamref name="TOptions"/> to a configuration section and validates it at start-up.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        return services.AddOptions<TOptions>()
            .BindConfiguration(section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}
