using Microsoft.Extensions.Options;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Auth:EnableDevTokens", "false", "Auth:SigningKey", "")]
    [InlineData("Auth:SigningKey", "too-short", "Auth:EnableDevTokens", "true")]
    [InlineData("Gateway:HeartbeatInterval", "00:02:00", "Gateway:IdleTimeout", "00:01:00")]
    [InlineData("Gateway:OutboundQueueBytes", "1000", "Gateway:OutboundQueueCapacity", "1024")]
    [InlineData("Auth:ClockSkew", "01:00:00", "Auth:EnableDevTokens", "true")]
    [InlineData("Logic:DefaultPageSize", "600", "Logic:MaxPageSize", "500")]
    [InlineData("LocalEngine:RouteTtl", "00:00:20", "Gateway:RouteRefreshInterval", "00:00:30")]
    public async Task Settings_that_cannot_work_stop_the_host_at_start(string key, string value, string otherKey, string otherValue)
    {
        var settings = new Dictionary<string, string?> { [key] = value, [otherKey] = otherValue };

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StandaloneServer.StartAsync(settings));

        Assert.Contains(key.Split(':')[0], failure.Message, StringComparison.Ordinal);
    }
}
