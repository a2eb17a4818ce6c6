namespace Resonance.Client.Internal;

/// <summary>Exponential reconnect delays, capped, with a random share so dropped clients spread out.</summary>
internal static class ReconnectBackoff
{
    public static TimeSpan Delay(int attempt, ResonanceClientOptions options, Random random)
    {
        // Past 2^20 the cap has long been reached; clamping keeps the arithmetic finite.
        var exponential = options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20));
        var capped = Math.Min(exponential, options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (options.ReconnectJitter * random.NextDouble())));
    }
}
