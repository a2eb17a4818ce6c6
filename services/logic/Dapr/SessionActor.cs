using Dapr.Actors.Runtime;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>
/// One session on the Dapr engine. Dapr runs one call at a time per actor id (the turn), so the
/// same <see cref="SessionCommands"/> as on the Local engine run here unchanged; the head is kept
/// between calls and reloaded on activation or after a failed write.
/// </summary>
public sealed partial class SessionActor(
    ActorHost host,
    SessionCommands commands,
    ISessionIndex index,
    IPushEventPublisher publisher,
    LogicMetrics metrics,
    TimeProvider time,
    ILogger<SessionActor> logger) : Actor(host), ISessionActor
{
    private ActorSessionState? _state;
    private SessionHead? _head;
    private bool _loaded;

    private ActorSessionState State => _state ??= new ActorSessionState(StateManager, Id.GetId());

    public Task<byte[]> Create(byte[] request) => RunAsync(request, async (caller, call) =>
    {
        var head = commands.NewSession(caller, call.Create, groupSessionId: Id.GetId());
        if (head.SessionId != Id.GetId())
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "a direct session's id is its two members'");
        }

        _head = await commands.CreateAsync(State, index, head, caller, CancellationToken.None);
        return new SessionActorReply { Session = SessionCommands.Summarize(_head) };
    });

    public Task<byte[]> AddMembers(byte[] request) => RunAsync(request, async (caller, call) =>
    {
        _head = await commands.AddMembersAsync(State, index, _head, caller, call.AddMembers.Members, CancellationToken.None);
        return new SessionActorReply { Session = SessionCommands.Summarize(_head) };
    });

    public Task<byte[]> Send(byte[] request) => RunAsync(request, async (caller, call) =>
    {
        var started = time.GetTimestamp();
        var outcome = await commands.SendAsync(State, _head, caller, call.Send, CancellationToken.None);
        _head = outcome.Head;
        if (outcome.Stored is { } stored)
        {
            // Inside the turn, so push events of this session are published in seq order.
            await PublishAsync(stored, outcome.Head.MembersVersion);
        }

        metrics.Sent(time.GetElapsedTime(started), outcome.Stored is not null);
        return new SessionActorReply { Ack = outcome.Ack };
    });

    public Task<byte[]> SendMany(byte[] request) => RunAsync(request, async (caller, call) =>
    {
        var started = time.GetTimestamp();
        var outcome = await commands.SendManyAsync(State, _head, caller, call.SendMany.Sends, CancellationToken.None);
        _head = outcome.Head;
        foreach (var stored in outcome.Stored)
        {
            await PublishAsync(stored, outcome.Head!.MembersVersion);
        }

        if (outcome.HeadIsStale)
        {
            Log.StaleHeadInBatch(logger, Id.GetId());
            _loaded = false;
        }

        var elapsed = time.GetElapsedTime(started);
        var reply = new SendManyResult();
        reply.Replies.AddRange(outcome.Replies);
        for (var i = 0; i < outcome.Replies.Count; i++)
        {
            metrics.Sent(elapsed, stored: i < outcome.Stored.Count);
        }

        return new SessionActorReply { SendMany = reply };
    });

    public Task<byte[]> Sync(byte[] request) => RunAsync(request, async (caller, call) =>
        new SessionActorReply { SyncResult = await commands.SyncAsync(State, _head, caller, call.Sync.AfterSeq, call.Sync.Limit, CancellationToken.None) });

    public Task<byte[]> GetMembers(byte[] request) => RunAsync(request, (_, _) =>
        Task.FromResult(new SessionActorReply { Members = SessionCommands.MembersOf(_head ?? throw SessionCommands.SessionNotFound(Id.GetId())) }));

    public Task<byte[]> GetSummary(byte[] request) => RunAsync(request, (caller, _) =>
        Task.FromResult(new SessionActorReply { Session = SessionCommands.Summarize(SessionCommands.EnsureMember(_head, Id.GetId(), caller)) }));

    /// <summary>Decodes the call, runs it on the loaded head, and answers a rejection as an error reply rather than a failed call.</summary>
    private async Task<byte[]> RunAsync(byte[] call, Func<string, SessionActorCall, Task<SessionActorReply>> command)
    {
        SessionActorReply reply;
        try
        {
            var request = SessionActorCall.Parser.ParseFrom(call);
            if (!_loaded)
            {
                _head = await State.LoadAsync(CancellationToken.None);
                _loaded = true;
            }

            reply = await command(request.Caller, request);
        }
        catch (InvalidProtocolBufferException ex)
        {
            reply = Error(ErrorCodes.InvalidArgument, $"not a SessionActorCall: {ex.Message}");
        }
        catch (ResonanceException ex)
        {
            reply = Error(ex.Code, ex.Message);
        }
        catch (SessionConflictException ex)
        {
            Log.StaleHead(logger, ex, Id.GetId());
            _loaded = false;
            reply = Error(ErrorCodes.Unavailable, "the session changed meanwhile; try again");
        }
        catch
        {
            // The state write may or may not have happened: read the head afresh next time.
            _loaded = false;
            throw;
        }

        return reply.ToByteArray();
    }

    private async Task PublishAsync(StoredMessage stored, long membersVersion)
    {
        try
        {
            await publisher.PublishAsync(new PushEvent { Message = stored.ToPush(), MembersVersion = membersVersion }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The message is durable and is acked regardless; members recover it by sync.
            Log.PublishFailed(logger, ex, stored.SessionId, stored.Seq);
        }
    }

    private static SessionActorReply Error(string code, string message) => new() { Error = new Error { Code = code, Message = message } };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Publishing the push event of {SessionId}#{Seq} failed; members will get it by sync")]
        public static partial void PublishFailed(ILogger logger, Exception exception, string sessionId, long seq);

        [LoggerMessage(2, LogLevel.Warning, "The head of {SessionId} was stale; it is reloaded on the next call")]
        public static partial void StaleHead(ILogger logger, Exception exception, string sessionId);

        [LoggerMessage(3, LogLevel.Warning, "The head of {SessionId} was stale during a batch of sends; it is reloaded on the next call")]
        public static partial void StaleHeadInBatch(ILogger logger, string sessionId);
    }
}
