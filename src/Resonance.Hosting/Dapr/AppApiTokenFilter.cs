using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Resonance.Hosting.Dapr;

/// <summary>
/// Lets a call into an internal endpoint through only when it carries the app API token daprd
/// presents (<c>dapr-api-token</c>, set by <c>APP_API_TOKEN</c>): nobody but the sidecar can call it.
/// Without a configured token the endpoints are open, which <see cref="DaprAppOptions.RequireAppApiToken"/> forbids outside development.
/// </summary>
public sealed class AppApiTokenFilter(DaprSidecarOptions sidecar) : IEndpointFilter
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(sidecar.AppApiToken);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_token.Length == 0)
        {
            return next(context);
        }

        var presented = context.HttpContext.Request.Headers[Contracts.DaprNames.AppApiTokenHeader].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _token))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Internal endpoint",
            detail: "Only the Dapr sidecar may call this endpoint.",
            extensions: new Dictionary<string, object?> { ["code"] = "unauthenticated" }));
    }
}
