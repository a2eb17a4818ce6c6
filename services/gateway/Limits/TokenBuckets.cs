using System.Threading.RateLimiting;

namespace Resonance.Gateway.Limits;

/// <summary>The token buckets every limit of the gateway uses: <c>rate</c> tokens per period on average, at most <c>burst</c> at once.</summary>
public static class TokenBuckets
{
    /// <summary>
    /// One token every <c>period / rate</c> rather than <c>rate</c> tokens once a period: the same average, and a
    /// refused caller is told to wait for one token's time, not for a whole period.
    /// </summary>
    public static TokenBucketRateLimiterOptions Options(int rate, int burst, TimeSpan period) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = period / rate,
        QueueLimit = 0,
    };

    /// <summary>A bucket per key, refilled by one timer; null when <paramref name="rate"/> is 0 (no limit).</summary>
    public static PartitionedRateLimiter<string>? Partitioned(int rate, int burst, TimeSpan period)
    {
        if (rate == 0)
        {
            return null;
        }

        var options = Options(rate, burst, period);
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => options));
    }
}
