using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Resonance.FakeDapr;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// One of the Dapr apps in memory, started through its real entry point (the <c>Main</c> of the
/// assembly that holds <typeparamref name="TAppType"/>, any public type of that app), configured as <c>dapr run</c> would start it,
/// with a sidecar address where nothing listens (or a given fake sidecar's): for the calls daprd makes into an app.
/// </summary>
internal sealed class DaprAppFactory<TAppType> : WebApplicationFactory<TAppType>
    where TAppType : class
{
    public const string AppApiToken = "test-app-api-token";

    private readonly string _appId;
    private readonly FakeSidecar? _sidecar;

    public DaprAppFactory(string appId, FakeSidecar? sidecar = null)
    {
        _appId = appId;
        _sidecar = sidecar;
    }

    /// <summary>A client that calls as daprd does: with the app API token on every request (dapr/dapr pkg/channel/http).</summary>
    public HttpClient CreateSidecarClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(Contracts.DaprNames.AppApiTokenHeader, AppApiToken);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("APP_ID", _appId);
        builder.UseSetting("APP_API_TOKEN", AppApiToken);
        builder.UseSetting("DAPR_HTTP_ENDPOINT", _sidecar?.HttpEndpoint.ToString() ?? "http://127.0.0.1:1");
        builder.UseSetting("DAPR_GRPC_ENDPOINT", _sidecar?.GrpcEndpoint.ToString() ?? "http://127.0.0.1:1");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.UseSetting("Auth:SigningKey", "resonance-tests-signing-key-0123456789abcdef");
    }
}
