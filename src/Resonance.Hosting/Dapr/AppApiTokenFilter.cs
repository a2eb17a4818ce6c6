using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Resonance.Hosting.Dapr;

/// <summary>
/// Lets a call into an internal endpoint through only when it carries the app API token daprd
/// presents (<c>dapr-api-token</c>, set by <c>APP_API_TOKEN</c>): nobody but the sidecar can call it.
/// Without a configured token the endpoints are open, which <see cref="DaprAppOptions.RequireAppApiToken"/> forbids outside development.
/// As an endpoint filter it guards chosen endpoints (the gateway's, beside its public ones);
/// <see cref="DaprHostingExtensions.UseAppApiTokenOnEveryRoute"/> guards a whole app whose every route is daprd's.
/// </summary>
public sealed class AppApiTokenFilter(DaprSidecarOptions sidecar) : IEndpointFilter
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(sidecar.AppApiToken);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return IsPresented(context.HttpContext.Request) ? next(context) : ValueTask.FromResult<object?>(Refusal);
    }

    internal static IResult Refusal { get; } = Results.Problem(
        statusCode: StatusCodes.Status401Unauthorized,
        title: "Internal endpoint",
        detail: "Only the Dapr sidecar may call this endpoint.",
        extensions: new Dictionary<string, object?> { ["code"] = "unauthenticated" });

    internal bool IsPresented(HttpRequest request) =>
        _token.Length == 0 || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(request.Headers[Contracts.DaprNames.AppApiTokenHeader].ToString()), _token);
}
