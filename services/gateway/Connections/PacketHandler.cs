using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Connections;

/// <summary>
/// Answers the packets a client sends. A connection's sends go through its <see cref="SendPipeline"/>, which
/// batches consecutive sends into one call to logic; every other command first waits for the sends before it to
/// be answered, so a client's commands take effect, and are answered, in the order sent. A bad packet gets an
/// error packet and the connection carries on.
/// </summary>
public sealed partial class PacketHandler(
    ILogicClient logic,
    SendRateLimiter sendLimits,
    GatewayCounters counters,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<PacketHandler> logger)
{
    private readonly TimeSpan _maxRefusedSendPause = options.Value.MaxRefusedSendPause;
    private readonly int _maxSendsPerBatch = options.Value.MaxSendsPerBatch;
    private readonly int _maxSendBatchBytes = options.Value.MaxSendBatchBytes;

    private static readonly byte[] ProtobufPong = PacketCodec.Encode(new WsPacket { Pong = new Pong() }, FrameEncoding.Protobuf);
    private static readonly byte[] JsonPong = PacketCodec.Encode(new WsPacket { Pong = new Pong() }, FrameEncoding.Json);

    public async Task HandleAsync(ClientConnection connection, ReadOnlyMemory<byte> frame)
    {
        var packet = PacketCodec.TryDecode(frame.Span, connection.Encoding, out var decodeError);
        if (packet?.BodyCase == WsPacket.BodyOneofCase.Ping)
        {
            // Answered at once: a pong says the connection is alive, not that earlier commands are done.
            connection.TryEnqueue(connection.Encoding == FrameEncoding.Protobuf ? ProtobufPong : JsonPong);
            return;
        }

        if (packet?.BodyCase == WsPacket.BodyOneofCase.Send)
        {
            await SendAsync(connection, packet.Send, frame.Length);
            return;
        }

        if (connection.Sends is { } sends)
        {
            // Replies leave in the order of the commands: the sends before this one are answered first.
            await sends.FlushAsync();
        }

        if (packet is null)
        {
            counters.BadPacket();
            Reply(connection, Error(ErrorCodes.BadPacket, $"not a WsPacket: {decodeError}"));
            return;
        }

        var requestId = packet.BodyCase == WsPacket.BodyOneofCase.Sync ? packet.Sync.RequestId : string.Empty;
        try
        {
            Reply(connection, packet.BodyCase switch
            {
                WsPacket.BodyOneofCase.Sync => connection.IsBacklogged ? Backlogged(requestId) : await SyncAsync(connection, packet.Sync),
                WsPacket.BodyOneofCase.None => BadBody("the packet has no body"),
                _ => BadBody($"{packet.BodyCase} is not a client packet"),
            });
        }
        catch (ResonanceException ex)
        {
            Reply(connection, Error(ex.Code, ex.Message, requestId: requestId));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.CommandFailed(logger, ex, packet.BodyCase.ToString(), connection.Username);
            Reply(connection, Error(ErrorCodes.Unavailable, "the command could not be completed; try again", requestId: requestId));
        }
    }

    private async Task SendAsync(ClientConnection connection, SendCommand send, int frameBytes)
    {
        var sends = connection.Sends ??= new SendPipeline(connection, logic, _maxSendsPerBatch, _maxSendBatchBytes, logger);
        if (sendLimits.TryAcquire(connection, out var retryAfter))
        {
            await sends.EnqueueAsync(send, frameBytes);
            return;
        }

        // The pause starts now, not once the sends before this one are answered.
        var pause = PauseAsync(retryAfter);
        await sends.FlushAsync();
        Reply(connection, RateLimited(send.ClientMsgId, retryAfter));
        await pause; // the read loop waits: the flooding client is slowed by back-pressure
    }

    private async Task<WsPacket> SyncAsync(ClientConnection connection, SyncCommand sync)
    {
        var result = await logic.SyncAsync(connection.Username, sync, CancellationToken.None);
        result.RequestId = sync.RequestId;
        return new WsPacket { SyncResult = result };
    }

    /// <summary>
    /// A sync refused for now: its answer could be a page of messages, and the connection already has half its
    /// byte budget waiting. Refusing, rather than holding the command, keeps the connection reading (pings, sends)
    /// and costs one small frame; clients retry <c>unavailable</c> syncs after a delay.
    /// </summary>
    private WsPacket Backlogged(string requestId)
    {
        counters.SyncRefused();
        return Error(ErrorCodes.Unavailable, "too much is waiting to be written to this connection; read it, then sync again", requestId: requestId);
    }

    /// <summary>A send over its connection's or its user's rate: not sent, and the connection carries on.</summary>
    private WsPacket RateLimited(string clientMsgId, TimeSpan retryAfter)
    {
        counters.SendRateLimited();
        var error = Error(ErrorCodes.RateLimited, "too many sends; wait, then send again", clientMsgId);
        error.Error.RetryAfterMs = RateLimitedProblem.RetryAfterMilliseconds(retryAfter);
        return error;
    }

    private Task PauseAsync(TimeSpan retryAfter)
    {
        var pause = retryAfter < _maxRefusedSendPause ? retryAfter : _maxRefusedSendPause;
        return pause > TimeSpan.Zero ? Task.Delay(pause, time) : Task.CompletedTask;
    }

    private static void Reply(ClientConnection connection, WsPacket packet) =>
        connection.TryEnqueue(PacketCodec.Encode(packet, connection.Encoding));

    private WsPacket BadBody(string message)
    {
        counters.BadPacket();
        return Error(ErrorCodes.BadPacket, message);
    }

    private static WsPacket Error(string code, string message, string clientMsgId = "", string requestId = "") =>
        new() { Error = new Error { Code = code, Message = message, ClientMsgId = clientMsgId, RequestId = requestId } };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Command} from {Username} failed")]
        public static partial void CommandFailed(ILogger logger, Exception exception, string command, string username);
    }
}
