using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;

namespace Resonance.Logic.Sessions;

/// <summary>
/// The logic service on the Local engine: each command takes its session's turn from
/// <see cref="SessionDirectory"/>, applies <see cref="SessionCommands"/> and, for a new message,
/// publishes its push event before releasing the turn.
/// </summary>
public sealed partial class SessionService(
    ISessionStore store,
    SessionDirectory directory,
    SessionCommands commands,
    IPushEventPublisher publisher,
    LogicMetrics metrics,
    TimeProvider time,
    ILogger<SessionService> logger)
{
    public async Task<CreateSessionResponse> CreateSessionAsync(string creator, CreateSessionRequest request, CancellationToken cancellationToken)
    {
        var head = commands.NewSession(creator, request);
        var created = await store.CreateAsync(head, time.GetUtcNow(), cancellationToken);
        if (!created)
        {
            // Only a direct session's id can already exist: the two people already share it.
            var existing = await directory.GetAsync(head.SessionId, cancellationToken);
            SessionCommands.EnsureMember(existing.Head, creator);
        }

        return new CreateSessionResponse { SessionId = head.SessionId };
    }

    public Task<AddMembersResponse> AddMembersAsync(string caller, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        directory.RunInTurnAsync(sessionId, async slot =>
        {
            slot.Head = await commands.AddMembersAsync(slot.Head, caller, request.Members, cancellationToken);
            var response = new AddMembersResponse { SessionId = sessionId };
            response.Members.AddRange(slot.Head.Members);
            return response;
        }, cancellationToken);

    public Task<SendAck> SendAsync(string sender, SendCommand command, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        return directory.RunInTurnAsync(command.SessionId, async slot =>
        {
            var outcome = await commands.SendAsync(slot.Head, sender, command, cancellationToken);
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

    public async Task<SyncResult> SyncAsync(string caller, SyncCommand command, CancellationToken cancellationToken)
    {
        var slot = await directory.GetAsync(command.SessionId, cancellationToken);
        return await commands.SyncAsync(slot.Head, caller, command.AfterSeq, command.Limit, cancellationToken);
    }

    public async Task<ListSessionsResponse> ListSessionsAsync(string username, CancellationToken cancellationToken)
    {
        var response = new ListSessionsResponse();
        response.Sessions.AddRange(await store.ListForMemberAsync(username, cancellationToken));
        return response;
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
    }
}
