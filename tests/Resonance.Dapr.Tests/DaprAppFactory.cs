using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// One of the Dapr apps in memory, started through its real entry point (the <c>Main</c> of the
/// assembly that holds <typeparamref name="TAppType"/>, any public type of that app), configured as <c>dapr run</c> would start it,
/// with a sidecar address where nothing listens: for the calls daprd makes into an app.
/// </summary>
internal sealed class DaprAppFactory<TAppType> : WebApplicationFactory<TAppType>
    where TAppType : class
{
    public const string AppApiToken = "test-app-api-token";

    private readonly string _appId;

    public DaprAppFactory(string appId) => _appId = appId;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("APP_ID", _appId);
        builder.UseSetting("APP_API_TOKEN", AppApiToken);
        builder.UseSetting("DAPR_HTTP_PORT", "1");
        builder.UseSetting("DAPR_GRPC_PORT", "1");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Auth:SigningKey", "resonance-tests-signing-key-0123456789abcdef");
    }
}
