using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Resonance.Contracts;

namespace Resonance.Gateway.Api;

/// <summary>Reads a request body in protobuf's JSON mapping; a body that does not parse is an invalid argument.</summary>
public static class ProtobufJsonBody
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        // Also caps chunked bodies, which carry no length up front: the server stops reading past the limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        string json;
        try
        {
            using var reader = new StreamReader(request.Body);
            json = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge();
        }

        try
        {
            return ProtobufJson.Parser.Parse<T>(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, $"the body is not a valid {typeof(T).Name}: {ex.Message}");
        }
    }

    private static ResonanceException TooLarge() => new(ErrorCodes.InvalidArgument, $"the body is larger than {MaxBodyBytes} bytes");
}
