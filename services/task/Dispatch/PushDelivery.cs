using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>
/// Delivers one message, or a run of consecutive messages of one session, to every connected member: members,
/// then their gateways, then one batch per gateway (carrying the whole run), sent in parallel. Recipients a gateway could not reach are retried later,
/// a bounded number of times, without holding up the worker.
/// </summary>
public sealed partial class PushDelivery(
    SessionMembersCache members,
    IRouteLookup routes,
    IGatewayPushClient gateways,
    PushStats stats,
    IOptions<TaskOptions> options,
    TimeProvider time,
    ILogger<PushDelivery> logger) : IDisposable
{
    private readonly TaskOptions _options = options.Value;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Pushes the message to every gateway holding a member; false when a gateway could not be reached (it failed or timed out).</summary>
    public Task<bool> DeliverAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushEvent);
        return DeliverManyAsync([pushEvent], cancellationToken);
    }

    /// <summary>
    /// Pushes consecutive events of one session at one members version, in the order given, with one member and
    /// route lookup and one batch per gateway for all of them (a busy session costs a call per run, not per message).
    /// </summary>
    public async Task<bool> DeliverManyAsync(IReadOnlyList<PushEvent> pushEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushEvents);
        var messages = new List<Push>(pushEvents.Count);
        foreach (var pushEvent in pushEvents)
        {
            messages.Add(pushEvent.Message);
        }

        var last = pushEvents[^1];
        var session = await members.GetAsync(last.Message.SessionId, last.MembersVersion, cancellationToken);
        var routed = await routes.GetGatewaysAsync(session.Members, cancellationToken);
        stats.Offline((session.Members.Count - routed.Count) * messages.Count);

        var (failed, allReached) = await PushAsync(messages, GroupByGateway(routed), cancellationToken);
        if (failed.Count > 0)
        {
            ScheduleRetry(messages, failed, attempt: 1);
        }

        return allReached;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    /// <summary>Recipients per gateway: a user with devices on two gateways is in both lists.</summary>
    internal static Dictionary<string, List<string>> GroupByGateway(IReadOnlyDictionary<string, IReadOnlyList<string>> routed)
    {
        var byGateway = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (username, gatewayIds) in routed)
        {
            foreach (var gatewayId in gatewayIds)
            {
                if (!byGateway.TryGetValue(gatewayId, out var recipients))
                {
                    recipients = [];
                    byGateway.Add(gatewayId, recipients);
                }

                recipients.Add(username);
            }
        }

        return byGateway;
    }

    private async Task<(List<GatewayRecipient> Failed, bool AllReached)> PushAsync(List<Push> messages, Dictionary<string, List<string>> byGateway, CancellationToken cancellationToken)
    {
        var pushes = new List<Task<(List<GatewayRecipient> Failed, bool Reached)>>(byGateway.Count);
        foreach (var (gatewayId, recipients) in byGateway)
        {
            pushes.Add(PushToGatewayAsync(gatewayId, messages, recipients, cancellationToken));
        }

        var failed = new List<GatewayRecipient>();
        var allReached = true;
        foreach (var push in pushes)
        {
            var (pushFailed, reached) = await push;
            failed.AddRange(pushFailed);
            allReached &= reached;
        }

        return (failed, allReached);
    }

    private async Task<(List<GatewayRecipient> Failed, bool Reached)> PushToGatewayAsync(string gatewayId, List<Push> messages, List<string> recipients, CancellationToken cancellationToken)
    {
        // One message goes as `message`, as gateways have always taken it; a run as `messages`.
        var batch = new PushBatch();
        if (messages.Count == 1)
        {
            batch.Message = messages[0];
        }
        else
        {
            batch.Messages.AddRange(messages);
        }

        batch.Recipients.AddRange(recipients);
        var message = messages[0];
        var failed = new List<GatewayRecipient>();
        using var timeout = new CancellationTokenSource(_options.GatewayPushTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await gateways.PushAsync(gatewayId, batch, deadline.Token);
            stats.BatchSent();
            foreach (var pushed in messages)
            {
                if (pushed.SentAt is { } sentAt)
                {
                    stats.PushDelay(time.GetUtcNow() - sentAt.ToDateTimeOffset());
                }
            }

            stats.Delivered((recipients.Count - result.FailedRecipients.Count) * messages.Count);
            foreach (var username in result.FailedRecipients)
            {
                failed.Add(new GatewayRecipient(gatewayId, username));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.GatewayPushFailed(logger, ex, gatewayId, message.SessionId, message.Seq, recipients.Count);
            foreach (var username in recipients)
            {
                failed.Add(new GatewayRecipient(gatewayId, username));
            }

            return (failed, false);
        }

        return (failed, true);
    }

    private void ScheduleRetry(List<Push> messages, List<GatewayRecipient> failed, int attempt)
    {
        if (attempt > _options.MaxRetry)
        {
            stats.GaveUp(failed.Count * messages.Count);
            foreach (var message in messages)
            {
                Log.GaveUp(logger, message.SessionId, message.Seq, failed.Count, _options.MaxRetry);
            }

            return;
        }

        _ = RetryAsync(messages, failed, attempt);
    }

    private async Task RetryAsync(List<Push> messages, List<GatewayRecipient> failed, int attempt)
    {
        try
        {
            var stopping = _stopping.Token;
            await Task.Delay(_options.RetryInterval, time, stopping);
            stats.Retried();

            // Retry only where the user is still routed: a user who reconnected to another
            // gateway has synced there, and one who went offline will sync on return.
            var usernames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var recipient in failed)
            {
                usernames.Add(recipient.Username);
            }

            var routed = await routes.GetGatewaysAsync(usernames, stopping);
            var byGateway = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var recipient in failed)
            {
                if (routed.TryGetValue(recipient.Username, out var gatewayIds) && gatewayIds.Contains(recipient.GatewayId))
                {
                    if (!byGateway.TryGetValue(recipient.GatewayId, out var list))
                    {
                        list = [];
                        byGateway.Add(recipient.GatewayId, list);
                    }

                    list.Add(recipient.Username);
                }
            }

            var (stillFailed, _) = await PushAsync(messages, byGateway, stopping);
            if (stillFailed.Count > 0)
            {
                ScheduleRetry(messages, stillFailed, attempt + 1);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the recipients get the message by sync.
        }
        catch (Exception ex)
        {
            Log.RetryFailed(logger, ex, messages[0].SessionId, messages[0].Seq);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Pushing {SessionId}#{Seq} to {GatewayId} for {RecipientCount} recipients failed")]
        public static partial void GatewayPushFailed(ILogger logger, Exception exception, string gatewayId, string sessionId, long seq, int recipientCount);

        [LoggerMessage(2, LogLevel.Warning, "Gave up pushing {SessionId}#{Seq} to {RecipientCount} recipients after {MaxRetry} retries; they will sync")]
        public static partial void GaveUp(ILogger logger, string sessionId, long seq, int recipientCount, int maxRetry);

        [LoggerMessage(3, LogLevel.Error, "Retrying the push of {SessionId}#{Seq} failed")]
        public static partial void RetryFailed(ILogger logger, Exception exception, string sessionId, long seq);
    }
}
