using Microsoft.AspNetCore.Http;
using Resonance.Contracts;

namespace Resonance.Hosting;

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
                statusCode: ErrorStatus.ToHttpStatus(ex.Code),
                title: ex.Code,
                detail: ex.Message,
                extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }
}
