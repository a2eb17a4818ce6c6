using Microsoft.Extensions.Options;
using Resonance.Gateway;

namespace Resonance.Standalone.Local;

/// <summary>A route must outlive the gateway's refresh interval, or pushes stop between refreshes.</summary>
public sealed class LocalEngineOptionsValidator(IOptions<GatewayOptions> gateway) : IValidateOptions<LocalEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, LocalEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var refresh = gateway.Value.RouteRefreshInterval;
        return options.RouteTtl > refresh * 2
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"LocalEngine:RouteTtl ({options.RouteTtl}) must be more than twice Gateway:RouteRefreshInterval ({refresh}).");
    }
}
