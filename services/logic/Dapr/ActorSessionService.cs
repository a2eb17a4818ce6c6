using Dapr.Actors;
using Dapr.Actors.Client;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>
/// The logic service on the Dapr engine: every command is a call to its session's <see cref="ISessionActor"/>
/// (wherever Dapr placed it); the session list reads the user's index, then each listed session.
/// </summary>
public sealed class ActorSessionService(IActorProxyFactory actors, ISessionIndex index, SessionCommands commands) : ISessionService
{
    private const int ListParallelism = 16;

    public async Task<CreateSessionResponse> CreateSessionAsync(string creator, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var head = commands.NewSession(creator, request);
        await CallAsync(head.SessionId, nameof(ISessionActor.Create), new SessionActorCall { Caller = creator, Create = request }, cancellationToken);
        return new CreateSessionResponse { SessionId = head.SessionId };
    }

    public async Task<AddMembersResponse> AddMembersAsync(string caller, string sessionId, AddMembersRequest request, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(sessionId, nameof(ISessionActor.AddMembers), new SessionActorCall { Caller = caller, AddMembers = request }, cancellationToken);
        var response = new AddMembersResponse { SessionId = sessionId };
        response.Members.AddRange(reply.Session.Members);
        return response;
    }

    public async Task<SendAck> SendAsync(string sender, SendCommand command, CancellationToken cancellationToken) =>
        (await CallAsync(command.SessionId, nameof(ISessionActor.Send), new SessionActorCall { Caller = sender, Send = command }, cancellationToken)).Ack;

    /// <summary>One actor call per run of sends to one session; a run whose call fails answers its error for each of its sends.</summary>
    public async Task<SendManyResult> SendManyAsync(string sender, SendManyCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = new SendManyResult();
        foreach (var run in SessionRuns.Of(command.Sends))
        {
            try
            {
                var call = new SessionActorCall { Caller = sender, SendMany = new SendManyCommand() };
                call.SendMany.Sends.AddRange(run);
                var replies = (await CallAsync(run[0].SessionId, nameof(ISessionActor.SendMany), call, cancellationToken)).SendMany.Replies;
                if (replies.Count != run.Count)
                {
                    throw new ResonanceException(ErrorCodes.Unavailable, $"the session answered {replies.Count} of {run.Count} sends");
                }

                result.Replies.AddRange(replies);
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

    public async Task<SyncResult> SyncAsync(string caller, SyncCommand command, CancellationToken cancellationToken) =>
        (await CallAsync(command.SessionId, nameof(ISessionActor.Sync), new SessionActorCall { Caller = caller, Sync = command }, cancellationToken)).SyncResult;

    public async Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        (await CallAsync(sessionId, nameof(ISessionActor.GetMembers), new SessionActorCall(), cancellationToken)).Members;

    public async Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = commands.ListPageSize(request.Limit);
        if (request.AfterSessionId.Length > 0 && !SessionIds.IsValid(request.AfterSessionId))
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "afterSessionId is not a valid session id");
        }

        var ids = await CallIndexAsync(() => index.ListAsync(username, request.AfterSessionId, pageSize + 1, cancellationToken));
        var summaries = new SessionSummary?[Math.Min(ids.Count, pageSize)];
        await Parallel.ForAsync(0, summaries.Length, new ParallelOptions { MaxDegreeOfParallelism = ListParallelism, CancellationToken = cancellationToken }, async (i, token) =>
        {
            try
            {
                summaries[i] = (await CallAsync(ids[i], nameof(ISessionActor.GetSummary), new SessionActorCall { Caller = username }, token)).Session;
            }
            catch (ResonanceException ex) when (ex.Code == ErrorCodes.SessionNotFound)
            {
                // Indexed before its creation failed: not a session.
            }
        });

        var response = new ListSessionsResponse { HasMore = ids.Count > pageSize };
        foreach (var summary in summaries)
        {
            if (summary is not null)
            {
                response.Sessions.Add(summary);
            }
        }

        return response;
    }

    private async Task<SessionActorReply> CallAsync(string sessionId, string method, SessionActorCall call, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsValid(sessionId))
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "sessionId is not a valid session id");
        }

        var proxy = actors.Create(new ActorId(sessionId), DaprNames.SessionActorType);
        var bytes = await CallIndexAsync(() => proxy.InvokeMethodAsync<byte[], byte[]>(method, call.ToByteArray(), cancellationToken));
        var reply = SessionActorReply.Parser.ParseFrom(bytes);
        return reply.ResultCase == SessionActorReply.ResultOneofCase.Error
            ? throw new ResonanceException(reply.Error.Code, reply.Error.Message)
            : reply;
    }

    /// <summary>A failed actor call (sidecar or actor host down, a timeout) is a transient failure for the caller.</summary>
    private static async Task<T> CallIndexAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not ResonanceException and not OutOfMemoryException)
        {
            throw new ResonanceException(ErrorCodes.Unavailable, $"the session could not be reached: {ex.Message}");
        }
    }
}
