using System.Net;

namespace Resonance.EndToEnd.Tests;

/// <summary>A request body sent chunked: it does not tell its length up front.</summary>
internal sealed class PushStreamContentWithoutLength(byte[] bytes) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
