using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Resonance.Gateway.Connections;

namespace Resonance.Gateway;

/// <summary>Healthy while serving; reports the gateway id and its connection count.</summary>
public sealed class GatewayHealthCheck(ConnectionRegistry registry, IOptions<GatewayOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy("accepting connections", new Dictionary<string, object>
        {
            ["gatewayId"] = options.Value.GatewayId,
            ["connections"] = registry.ConnectionCount,
        }));
}
