using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Resonance.Contracts;

namespace Resonance.Hosting.Dapr;

/// <summary>Protobuf bodies of the internal API: read whole (bounded by Kestrel's body limit), a bad one refused as invalid.</summary>
public static class ProtobufBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request)
        where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        try
        {
            return new MessageParser<T>(() => new T()).ParseFrom(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, $"the body is not a {typeof(T).Name}: {ex.Message}");
        }
    }

    public static IResult Result(IMessage message) => Results.Bytes(message.ToByteArray(), DaprNames.ProtobufContentType);
}
