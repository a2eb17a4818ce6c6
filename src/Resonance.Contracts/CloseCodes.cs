namespace Resonance.Contracts;

/// <summary>Application close codes (4000–4999) the gateway closes connections with.</summary>
public static class CloseCodes
{
    /// <summary>The outbound queue filled: the client reads too slowly. Reconnect and sync.</summary>
    public const int SlowConsumer = 4100;

    /// <summary>Nothing was received within the idle timeout. Send pings.</summary>
    public const int IdleTimeout = 4101;

    /// <summary>The token the connection was opened with expired. Get a fresh token and reconnect (then sync).</summary>
    public const int TokenExpired = 4102;
}
