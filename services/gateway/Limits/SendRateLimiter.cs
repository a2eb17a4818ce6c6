using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Resonance.Gateway.Connections;

namespace Resonance.Gateway.Limits;

/// <summary>
/// Token buckets on client sends: one per connection and one per user, the latter shared by all of the user's
/// connections to this gateway. One timer refills every bucket; a bucket that has been full for a while is
/// dropped (the partitioned limiter's idle clean-up), so connections and users that left cost nothing for long,
/// and a user who reconnects finds the bucket it left until then.
/// </summary>
public sealed class SendRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _perConnection;
    private readonly PartitionedRateLimiter<string>? _perUser;

    public SendRateLimiter(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        _perConnection = TokenBuckets.Partitioned(value.ConnectionSendRate, value.ConnectionSendBurst, value.SendRatePeriod);
        _perUser = TokenBuckets.Partitioned(value.UserSendRate, value.UserSendBurst, value.SendRatePeriod);
    }

    /// <summary>
    /// Takes a send from the connection's bucket, then from its user's; false, with the time until the refused
    /// bucket has a token again, when either is empty. A send the user's bucket refuses still used the connection's token.
    /// </summary>
    public bool TryAcquire(ClientConnection connection, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return TryAcquire(_perConnection, connection.Id, out retryAfter) && TryAcquire(_perUser, connection.Username, out retryAfter);
    }

    public void Dispose()
    {
        _perConnection?.Dispose();
        _perUser?.Dispose();
    }

    private static bool TryAcquire(PartitionedRateLimiter<string>? limiter, string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return true;
        }

        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var after))
        {
            retryAfter = after;
        }

        return false;
    }
}
