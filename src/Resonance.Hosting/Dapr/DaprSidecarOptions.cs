using Microsoft.Extensions.Configuration;

namespace Resonance.Hosting.Dapr;

/// <summary>
/// Where this app's Dapr sidecar listens and the tokens between them, read from the variables
/// <c>dapr run</c> and the Kubernetes sidecar injector set (as configuration keys, so tests and
/// command lines can set them too): <c>DAPR_HTTP_ENDPOINT</c> or <c>DAPR_HTTP_PORT</c> (3500),
/// <c>DAPR_GRPC_ENDPOINT</c> or <c>DAPR_GRPC_PORT</c> (50001), <c>APP_API_TOKEN</c>, <c>DAPR_API_TOKEN</c>, <c>APP_ID</c>.
/// </summary>
public sealed class DaprSidecarOptions
{
    public required Uri HttpEndpoint { get; init; }

    public required Uri GrpcEndpoint { get; init; }

    /// <summary>The token daprd presents on calls into this app (<c>dapr-api-token</c>); none when empty.</summary>
    public string AppApiToken { get; init; } = string.Empty;

    /// <summary>The token this app presents to its sidecar; none when empty.</summary>
    public string DaprApiToken { get; init; } = string.Empty;

    /// <summary>The app-id daprd runs this app as, when it says (<c>APP_ID</c>).</summary>
    public string AppId { get; init; } = string.Empty;

    public static DaprSidecarOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new DaprSidecarOptions
        {
            HttpEndpoint = Endpoint(configuration, "DAPR_HTTP_ENDPOINT", "DAPR_HTTP_PORT", 3500),
            GrpcEndpoint = Endpoint(configuration, "DAPR_GRPC_ENDPOINT", "DAPR_GRPC_PORT", 50001),
            AppApiToken = configuration["APP_API_TOKEN"] ?? string.Empty,
            DaprApiToken = configuration["DAPR_API_TOKEN"] ?? string.Empty,
            AppId = configuration["APP_ID"] ?? string.Empty,
        };
    }

    private static Uri Endpoint(IConfiguration configuration, string endpointKey, string portKey, int defaultPort)
    {
        if (configuration[endpointKey] is { Length: > 0 } endpoint)
        {
            return new Uri(endpoint);
        }

        var port = configuration[portKey] is { Length: > 0 } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : defaultPort;
        return new Uri($"http://127.0.0.1:{port}");
    }
}
