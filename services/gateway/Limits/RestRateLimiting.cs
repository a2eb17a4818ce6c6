using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resonance.Gateway.Limits;

/// <summary>
/// ASP.NET Core's rate limiter on the REST API: a token bucket per user (per remote address for requests without a
/// valid token), and the session-creation limit per user on top of it on <c>POST /api/v1/sessions</c>.
/// </summary>
public static class RestRateLimiting
{
    /// <summary>The policy of the REST API; health checks are exempt.</summary>
    public const string RestPolicy = "rest";

    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((limiter, gateway) =>
        {
            var options = gateway.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(RateLimitedProblem.WriteAsync(context.HttpContext,
                "too many requests; try again later", context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null));

            var rest = options.RestRequestRate == 0 ? null : TokenBuckets.Options(options.RestRequestRate, options.RestRequestBurst, options.RestRatePeriod);
            limiter.AddPolicy(RestPolicy, http => rest is null
                ? RateLimitPartition.GetNoLimiter(string.Empty)
                : RateLimitPartition.GetTokenBucketLimiter(ClientKey(http), _ => rest));

            // An endpoint takes one policy, and session creation is limited on top of the REST policy: so this
            // limit is the global limiter, which passes every request but those of endpoints marked for it.
            var create = options.SessionCreateLimit == 0 ? null : TokenBuckets.Options(options.SessionCreateLimit, options.SessionCreateLimit, options.SessionCreatePeriod);
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                create is not null && http.GetEndpoint()?.Metadata.GetMetadata<SessionCreationLimit>() is not null && UserOf(http) is { } user
                    ? RateLimitPartition.GetTokenBucketLimiter(user, _ => create)
                    : RateLimitPartition.GetNoLimiter(string.Empty));
        });
        return services;
    }

    /// <summary>Puts the endpoint under <see cref="GatewayOptions.SessionCreateLimit"/>.</summary>
    public static TBuilder RequireSessionCreationLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(SessionCreationLimit.Instance);

    private static string? UserOf(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : null;

    // Prefixed so that a username can never share a bucket with an address.
    private static string ClientKey(HttpContext http) =>
        UserOf(http) is { } user ? "user:" + user : "address:" + http.Connection.RemoteIpAddress;

    /// <summary>Marks an endpoint that creates sessions.</summary>
    private sealed class SessionCreationLimit
    {
        public static readonly SessionCreationLimit Instance = new();
    }
}
