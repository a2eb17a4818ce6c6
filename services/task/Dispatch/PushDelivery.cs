using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>
/// Delivers one message to every connected member: members, then their gateways, then one
/// batch per gateway, sent in parallel. Recipients a gateway could not reach are retried later,
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
    public async Task<bool> DeliverAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        var message = pushEvent.Message;
        var session = await members.GetAsync(message.SessionId, pushEvent.MembersVersion, cancellationToken);
        var routed = await routes.GetGatewaysAsync(session.Members, cancellationToken);
        stats.Offline(session.Members.Count - routed.Count);

        var (failed, allReached) = await PushAsync(message, GroupByGateway(routed), cancellationToken);
        if (failed.Count > 0)
        {
            ScheduleRetry(message, failed, attempt: 1);
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

    private async Task<(List<GatewayRecipient> Failed, bool AllReached)> PushAsync(Push message, Dictionary<string, List<string>> byGateway, CancellationToken cancellationToken)
    {
        var pushes = new List<Task<(List<GatewayRecipient> Failed, bool Reached)>>(byGateway.Count);
        foreach (var (gatewayId, recipients) in byGateway)
        {
            pushes.Add(PushToGatewayAsync(gatewayId, message, recipients, cancellationToken));
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

    private async Task<(List<GatewayRecipient> Failed, bool Reached)> PushToGatewayAsync(string gatewayId, Push message, List<string> recipients, CancellationToken cancellationToken)
    {
        var batch = new PushBatch { Message = message };
        batch.Recipients.AddRange(recipients);
        var failed = new List<GatewayRecipient>();
        using var timeout = new CancellationTokenSource(_options.GatewayPushTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await gateways.PushAsync(gatewayId, batch, deadline.Token);
            stats.BatchSent();
            if (message.SentAt is { } sentAt)
            {
                stats.PushDelay(time.GetUtcNow() - sentAt.ToDateTimeOffset());
            }
            stats.Delivered(recipients.Count - result.FailedRecipients.Count);
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

    private void ScheduleRetry(Push message, List<GatewayRecipient> failed, int attempt)
    {
        if (attempt > _options.MaxRetry)
        {
            stats.GaveUp(failed.Count);
            Log.GaveUp(logger, message.SessionId, message.Seq, failed.Count, _options.MaxRetry);
            return;
        }

        _ = RetryAsync(message, failed, attempt);
    }

    private async Task RetryAsync(Push message, List<GatewayRecipient> failed, int attempt)
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

            var (stillFailed, _) = await PushAsync(message, byGateway, stopping);
            if (stillFailed.Count > 0)
            {
                ScheduleRetry(message, stillFailed, attempt + 1);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the recipients get the message by sync.
        }
        catch (Exception ex)
        {
            Log.RetryFailed(logger, ex, message.SessionId, message.Seq);
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
