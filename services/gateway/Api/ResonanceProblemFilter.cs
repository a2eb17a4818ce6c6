using Microsoft.AspNetCore.Http;
using Resonance.Contracts;

namespace Resonance.Gateway.Api;

/// <summary>Turns a rejected command into a problem-details response with a fitting status.</summary>
public sealed class ResonanceProblemFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (ResonanceException ex)
        {
            return Results.Problem(
                statusCode: StatusFor(ex.Code),
                title: ex.Code,
                detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }

    private static int StatusFor(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.BadPacket => StatusCodes.Status400BadRequest,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.SessionNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
