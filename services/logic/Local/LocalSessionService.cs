using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>
/// The logic service on the Local engine: each command takes its session's turn from
/// <see cref="SessionDirectory"/>, applies <see cref="SessionCommands"/> and, for a new message,
/// publishes its push event before releasing the turn.
/// </summary>
public sealed partial class LocalSessionService(
    SessionDirectory directory,
    ISessionIndex index,
    SessionCommands commands,
    IPushEventPublisher publisher,
    LogicMetrics metrics,
    TimeProvider time,
    ILogger<LocalSessionService> logger) : ISessionService
{
    public Task<CreateSessionResponse> CreateSessionAsync(string creator, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var head = commands.NewSession(creator, request);
        return InTurnAsync(head.SessionId, async slot =>
        {
            slot.Head = await commands.CreateAsync(slot.State, index, head, creator, cancellationToken);
            return new CreateSessionResponse { SessionId = head.SessionId };
        }, cancellationToken);
    }

    public Task<AddMembersResponse> AddMembersAsync(string caller, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        InTurnAsync(sessionId, async slot =>
        {
            var head = await commands.AddMembersAsync(slot.State, index, slot.Head, caller, request.Members, cancellationToken);
            slot.Head = head;
            var response = new AddMembersResponse { SessionId = sessionId };
            response.Members.AddRange(head.Members);
            return response;
        }, cancellationToken);

    public Task<SendAck> SendAsync(string sender, SendCommand command, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        return InTurnAsync(command.SessionId, async slot =>
        {
            var outcome = await commands.SendAsync(slot.State, slot.Head, sender, command, cancellationToken);
            slot.Head = outcome.Head;
            if (outcome.Stored is { } stored)
            {
                // Inside the turn, so push events leave in seq order.
                await PublishAsync(stored, outcome.Head.MembersVersion, cancellationToken);
            }

            metrics.Sent(time.GetElapsedTime(started), outcome.Stored is not null);
            return outcome.Ack;
        }, cancellationToken);
    }

    public async Task<SendManyResult> SendManyAsync(string sender, SendManyCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = new SendManyResult();
        foreach (var run in SessionRuns.Of(command.Sends))
        {
            try
            {
                result.Replies.AddRange(await SendRunAsync(sender, run, cancellationToken));
            }
            catch (ResonanceException ex)
            {
                foreach (var send in run)
                {
                    result.Replies.Add(SessionCommands.ErrorReply(ex.Code, ex.Message, send.ClientMsgId));
                }
            }
        }

        return result;
    }

    public async Task<SyncResult> SyncAsync(string caller, SyncCommand command, CancellationToken cancellationToken)
    {
        var (slot, wasLoaded) = await directory.LookupAsync(command.SessionId, cancellationToken);
        if (wasLoaded && slot.Head?.IsMember(caller) != true)
        {
            // "No such session" costs one store read whether the session is missing or not the caller's, loaded
            // or not: otherwise a fast answer would tell that a (computable) direct session exists.
            await slot.State.LoadAsync(cancellationToken);
        }

        return await commands.SyncAsync(slot.State, slot.Head, caller, command.AfterSeq, command.Limit, cancellationToken);
    }

    /// <summary>One turn of the session for the whole run: one write, and its push events published in seq order.</summary>
    private Task<IReadOnlyList<SendReply>> SendRunAsync(string sender, IReadOnlyList<SendCommand> run, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        return directory.RunInTurnAsync(run[0].SessionId, async slot =>
        {
            var outcome = await commands.SendManyAsync(slot.State, slot.Head, sender, run, cancellationToken);
            slot.Head = outcome.Head;
            foreach (var stored in outcome.Stored)
            {
                await PublishAsync(stored, outcome.Head!.MembersVersion, cancellationToken);
            }

            if (outcome.HeadIsStale)
            {
                Log.StaleHeadInBatch(logger, run[0].SessionId);
                await ReloadAsync(slot, cancellationToken);
            }

            var elapsed = time.GetElapsedTime(started);
            for (var i = 0; i < outcome.Replies.Count; i++)
            {
                metrics.Sent(elapsed, stored: i < outcome.Stored.Count);
            }

            return outcome.Replies;
        }, cancellationToken);
    }

    public async Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = commands.ListPageSize(request.Limit);
        if (request.AfterSessionId.Length > 0 && !SessionIds.IsValid(request.AfterSessionId))
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "afterSessionId is not a valid session id");
        }

        var ids = await index.ListAsync(username, request.AfterSessionId, pageSize + 1, cancellationToken);
        var response = new ListSessionsResponse { HasMore = ids.Count > pageSize };
        for (var i = 0; i < ids.Count && i < pageSize; i++)
        {
            var head = (await directory.GetAsync(ids[i], cancellationToken)).Head;
            if (head is not null && head.IsMember(username))
            {
                response.Sessions.Add(SessionCommands.Summarize(head));
            }
        }

        return response;
    }

    public Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        directory.GetMembersAsync(sessionId, cancellationToken);

    /// <summary>Runs a command in the session's turn; a command that finds its head stale reloads it and asks the caller to retry.</summary>
    private Task<T> InTurnAsync<T>(string sessionId, Func<SessionSlot, Task<T>> command, CancellationToken cancellationToken) =>
        directory.RunInTurnAsync(sessionId, async slot =>
        {
            try
            {
                return await command(slot);
            }
            catch (SessionConflictException ex)
            {
                Log.StaleHead(logger, ex, sessionId);
                slot.Head = await slot.State.LoadAsync(cancellationToken);
                throw new ResonanceException(ErrorCodes.Unavailable, "the session changed meanwhile; try again");
            }
        }, cancellationToken);

    /// <summary>
    /// Reads the head again after a batch left it stale. The batch's replies are owed either way: if the store fails
    /// here too, the head is kept, and the next write's seq conflict reloads it.
    /// </summary>
    private async Task ReloadAsync(SessionSlot slot, CancellationToken cancellationToken)
    {
        try
        {
            slot.Head = await slot.State.LoadAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ReloadFailed(logger, ex, slot.State.SessionId);
        }
    }

    private async Task PublishAsync(StoredMessage stored, long membersVersion, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(new PushEvent { Message = stored.ToPush(), MembersVersion = membersVersion }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The message is durable and acked regardless (a publisher's own timeout included); members recover it by sync.
            Log.PublishFailed(logger, ex, stored.SessionId, stored.Seq);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Publishing the push event of {SessionId}#{Seq} failed; members will get it by sync")]
        public static partial void PublishFailed(ILogger logger, Exception exception, string sessionId, long seq);

        [LoggerMessage(2, LogLevel.Warning, "The head of {SessionId} was stale; reloaded it")]
        public static partial void StaleHead(ILogger logger, Exception exception, string sessionId);

        [LoggerMessage(3, LogLevel.Warning, "The head of {SessionId} was stale during a batch of sends; reloaded it")]
        public static partial void StaleHeadInBatch(ILogger logger, string sessionId);

        [LoggerMessage(4, LogLevel.Warning, "Reloading the head of {SessionId} failed; the next write will reload it")]
        public static partial void ReloadFailed(ILogger logger, Exception exception, string sessionId);
    }
}
