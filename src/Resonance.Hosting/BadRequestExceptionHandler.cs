using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Resonance.Contracts;

namespace Resonance.Hosting;

/// <summary>
/// A request the server could not read (a malformed chunked body, a body slower than Kestrel's minimum
/// data rate): the client's fault, so 400 problem details with code <c>invalid_argument</c> and a warning
/// without a stack trace, wherever the body was read — not a 500 and an error.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        // The path only: a query string may carry a token.
        Log.RequestUnreadable(logger, httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = ErrorCodes.InvalidArgument,
                Detail = $"the request could not be read: {bad.Message}",
                Extensions = { ["code"] = ErrorCodes.InvalidArgument },
            },
        });
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "{Method} {Path}: the request could not be read ({KestrelStatus}): {Reason}")]
        public static partial void RequestUnreadable(ILogger logger, string method, string path, int kestrelStatus, string reason);
    }
}
