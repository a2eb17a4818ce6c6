using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Resonance.Contracts;

namespace Resonance.Gateway.Limits;

/// <summary>The answer to a request over a limit: 429 problem details with code <c>rate_limited</c>, and <c>Retry-After</c> when known.</summary>
public static class RateLimitedProblem
{
    public static Task WriteAsync(HttpContext http, string detail, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(http);
        var extensions = new Dictionary<string, object?> { ["code"] = ErrorCodes.RateLimited };
        if (retryAfter is { } after)
        {
            // Whole seconds, rounded up: a client that waits as told finds a token.
            var seconds = Math.Max(1, (long)Math.Ceiling(after.TotalSeconds));
            http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
            extensions["retryAfterMs"] = RetryAfterMilliseconds(after);
        }

        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: ErrorCodes.RateLimited, detail: detail, extensions: extensions)
            .ExecuteAsync(http);
    }

    /// <summary>Rounded up, at least 1, at most <see cref="int.MaxValue"/> (the wire field is 32 bits).</summary>
    public static int RetryAfterMilliseconds(TimeSpan retryAfter) =>
        (int)Math.Clamp(Math.Ceiling(retryAfter.TotalMilliseconds), 1, int.MaxValue);
}
