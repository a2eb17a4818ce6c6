using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Resonance.Contracts;

namespace Resonance.Gateway.Api;

/// <summary>Writes a protobuf message in its JSON mapping, the same JSON the WebSocket speaks.</summary>
public sealed class ProtobufJsonResult(IMessage message, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        return httpContext.Response.WriteAsync(ProtobufJson.Formatter.Format(message), httpContext.RequestAborted);
    }
}
