using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Resonance.Gateway.Api;

public static class HealthEndpoint
{
    /// <summary><c>GET /health</c>: the health checks' verdict as JSON, anonymous and not rate-limited (for probes).</summary>
    public static RouteGroupBuilder MapHealthEndpoint(this RouteGroupBuilder api)
    {
        api.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).AllowAnonymous().DisableRateLimiting();
        return api;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = new Dictionary<string, object>();
        foreach (var (name, entry) in report.Entries)
        {
            checks[name] = new { status = entry.Status.ToString(), description = entry.Description, data = entry.Data };
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { status = report.Status.ToString(), checks }), context.RequestAborted);
    }
}
