using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Gateway.Connections;

/// <summary>
/// One connection's sends on their way to logic. The read loop queues each send and reads on; sends queued
/// while logic is busy with the previous batch go together as the next batch, in one call
/// (<see cref="ILogicClient.SendManyAsync"/>), so a busy connection costs one logic call and one durable write
/// per batch, not per message. Replies are queued to the connection in the order of the sends. A full batch
/// (<see cref="GatewayOptions.MaxSendsPerBatch"/>, <see cref="GatewayOptions.MaxSendBatchBytes"/>) holds the
/// read loop until the pump takes it: at most two batches per connection are ever held.
/// </summary>
internal sealed partial class SendPipeline(ClientConnection connection, ILogicClient logic, int maxSends, int maxBytes, ILogger logger)
{
    private readonly Lock _gate = new();
    private List<SendCommand> _queued = [];
    private int _queuedBytes;
    private bool _pumping;
    private TaskCompletionSource? _room;

    // Read and written by the read loop only.
    private Task _pump = Task.CompletedTask;

    /// <summary>
    /// Queues a send; completes at once unless the next batch is full, then once the pump has taken it.
    /// Called by the connection's read loop only, one call at a time.
    /// </summary>
    public Task EnqueueAsync(SendCommand send, int frameBytes)
    {
        connection.BeginCommand();
        bool start;
        Task room;
        lock (_gate)
        {
            _queued.Add(send);
            _queuedBytes += frameBytes;
            start = !_pumping;
            _pumping = true;
            if (_queued.Count < maxSends && _queuedBytes < maxBytes)
            {
                room = Task.CompletedTask;
            }
            else
            {
                _room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                room = _room.Task;
            }
        }

        if (start)
        {
            // Runs inline up to logic's first await: a logic that answers at once answers before this returns.
            _pump = PumpAsync();
        }

        return room;
    }

    /// <summary>Completes once every send queued so far has its reply queued to the connection. Read loop only.</summary>
    public Task FlushAsync() => _pump;

    private async Task PumpAsync()
    {
        try
        {
            while (true)
            {
                List<SendCommand> batch;
                TaskCompletionSource? room;
                lock (_gate)
                {
                    if (_queued.Count == 0)
                    {
                        _pumping = false;
                        return;
                    }

                    batch = _queued;
                    _queued = new List<SendCommand>(Math.Min(batch.Count * 2, maxSends));
                    _queuedBytes = 0;
                    room = _room;
                    _room = null;
                }

                room?.TrySetResult();
                try
                {
                    await SendBatchAsync(batch);
                }
                finally
                {
                    connection.EndCommands(batch.Count);
                }
            }
        }
        catch
        {
            // Never expected (SendBatchAsync answers every failure of logic). Whatever it was, the sends still queued
            // are answered unavailable (their clients resend) so that a drain does not wait for them, and the read
            // loop sees the failure at its next flush.
            Abandon();
            throw;
        }
    }

    private void Abandon()
    {
        List<SendCommand> queued;
        TaskCompletionSource? room;
        lock (_gate)
        {
            queued = _queued;
            _queued = [];
            _queuedBytes = 0;
            _pumping = false;
            room = _room;
            _room = null;
        }

        foreach (var send in queued)
        {
            connection.TryEnqueue(PacketCodec.Encode(new WsPacket { Error = Unavailable(send.ClientMsgId) }, connection.Encoding));
        }

        connection.EndCommands(queued.Count);
        room?.TrySetResult();
    }

    private async Task SendBatchAsync(List<SendCommand> batch)
    {
        var command = new SendManyCommand();
        command.Sends.AddRange(batch);
        SendManyResult result;
        try
        {
            result = await logic.SendManyAsync(connection.Username, command, CancellationToken.None);
            if (result.Replies.Count != batch.Count)
            {
                throw new InvalidOperationException($"Logic answered {result.Replies.Count} replies to {batch.Count} sends.");
            }
        }
        catch (ResonanceException ex)
        {
            result = AllFailed(batch, clientMsgId => new Error { Code = ex.Code, Message = ex.Message, ClientMsgId = clientMsgId });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.BatchFailed(logger, ex, batch.Count, connection.Username);
            result = AllFailed(batch, Unavailable);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var reply = result.Replies[i];
            var packet = reply.ResultCase switch
            {
                SendReply.ResultOneofCase.Ack => new WsPacket { Ack = reply.Ack },
                SendReply.ResultOneofCase.Error => new WsPacket { Error = reply.Error },
                // A logic of a newer contract, or a broken one: the client is owed an answer it can act on.
                _ => new WsPacket { Error = Unavailable(batch[i].ClientMsgId) },
            };
            connection.TryEnqueue(PacketCodec.Encode(packet, connection.Encoding));
        }
    }

    private static SendManyResult AllFailed(List<SendCommand> batch, Func<string, Error> error)
    {
        var result = new SendManyResult();
        foreach (var send in batch)
        {
            result.Replies.Add(new SendReply { Error = error(send.ClientMsgId) });
        }

        return result;
    }

    private static Error Unavailable(string clientMsgId) =>
        new() { Code = ErrorCodes.Unavailable, Message = "the command could not be completed; try again", ClientMsgId = clientMsgId };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A batch of {Count} sends from {Username} failed")]
        public static partial void BatchFailed(ILogger logger, Exception exception, int count, string username);
    }
}
