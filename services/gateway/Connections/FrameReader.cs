using System.Buffers;
using System.Net.WebSockets;

namespace Resonance.Gateway.Connections;

/// <summary>
/// Reads a client's frames whole. Between frames it waits with a zero-byte read, so an idle connection holds
/// no receive buffer; a frame is read into a chunk rented for it, and only a frame longer than a chunk is
/// assembled in a buffer of its own.
/// </summary>
internal sealed class FrameReader(WebSocket socket, WebSocketMessageType messageType, int maxFrameBytes)
{
    internal const int ChunkBytes = 4 * 1024;

    /// <summary>
    /// Waits for the next frame and hands it to <paramref name="onFrame"/>, whose bytes are valid until its task
    /// ends; or says why there is no frame to hand over.
    /// </summary>
    public async Task<FrameReadOutcome> ReadNextAsync(Func<ReadOnlyMemory<byte>, Task> onFrame)
    {
        var received = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
        if (Refused(received) is { } refused)
        {
            return refused;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            ArrayBufferWriter<byte>? longFrame = null;
            var filled = 0;
            while (!received.EndOfMessage)
            {
                if (filled == chunk.Length)
                {
                    longFrame ??= new ArrayBufferWriter<byte>(2 * chunk.Length);
                    longFrame.Write(chunk);
                    filled = 0;
                }

                received = await socket.ReceiveAsync(chunk.AsMemory(filled), CancellationToken.None);
                if (Refused(received) is { } refusedPart)
                {
                    return refusedPart;
                }

                filled += received.Count;
                if ((longFrame?.WrittenCount ?? 0) + filled > maxFrameBytes)
                {
                    return FrameReadOutcome.TooBig;
                }
            }

            if (longFrame is null)
            {
                await onFrame(chunk.AsMemory(0, filled));
            }
            else
            {
                longFrame.Write(chunk.AsSpan(0, filled));
                await onFrame(longFrame.WrittenMemory);
            }

            return FrameReadOutcome.Handled;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private FrameReadOutcome? Refused(ValueWebSocketReceiveResult received) =>
        received.MessageType == WebSocketMessageType.Close ? FrameReadOutcome.Closed
        : received.MessageType != messageType ? FrameReadOutcome.WrongType
        : null;
}
