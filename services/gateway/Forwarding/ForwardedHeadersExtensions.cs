using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resonance.Hosting;

namespace Resonance.Gateway.Forwarding;

/// <summary><c>X-Forwarded-For</c> from the proxies <see cref="ForwardedHeadersSettings"/> names, and from no one else.</summary>
public static class ForwardedHeadersExtensions
{
    public static IServiceCollection AddGatewayForwardedHeaders(this IServiceCollection services)
    {
        services.AddValidatedOptions<ForwardedHeadersSettings>(ForwardedHeadersSettings.Section);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            forwarded.ForwardLimit = settings.Value.ForwardLimit;

            // ASP.NET Core trusts loopback by default; only what is configured is trusted here.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline, so that everything after (the REST limiter above all) sees the client's address.</summary>
    public static IApplicationBuilder UseGatewayForwardedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled
            ? app.UseForwardedHeaders()
            : app;
    }
}
