using System.Net.WebSockets;

namespace Resonance.Client;

/// <summary>How a <see cref="ResonanceClient"/> connects, reconnects and keeps its connection alive.</summary>
public sealed class ResonanceClientOptions
{
    /// <summary>Frame encoding and subprotocol. Default <see cref="WireEncoding.Protobuf"/>.</summary>
    public WireEncoding Encoding { get; set; } = WireEncoding.Protobuf;

    /// <summary>Delay before the first reconnect attempt after a drop; doubles with each failed attempt. Default 500 ms.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between reconnect attempts. Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Share of each reconnect delay that is random (0 to 1): with 0.5 a 4 s delay becomes 2 to 4 s,
    /// so clients dropped together by one server do not all come back at the same instant. Default 0.5.
    /// </summary>
    public double ReconnectJitter { get; set; } = 0.5;

    /// <summary>
    /// How often to ping. Null uses the interval in the server's welcome; <see cref="Timeout.InfiniteTimeSpan"/>
    /// disables pings (the server then closes the connection once idle). An explicit interval must be shorter
    /// than <see cref="ServerTimeout"/>. Default null.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>
    /// A connection on which nothing arrived for this long (pongs included) is taken as dead and replaced.
    /// Checked at each heartbeat. The timeout applied is never shorter than two and a half heartbeat
    /// intervals, so a server announcing a long interval does not get its connections dropped at every beat. Default 90 s.
    /// </summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A connection that stayed up at least this long resets the reconnect backoff to <see cref="InitialReconnectDelay"/>;
    /// one that drops sooner (e.g. a server that accepts and closes at once) keeps the delay growing. Default 10 s.
    /// </summary>
    public TimeSpan StableConnectionTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the WebSocket handshake plus the welcome packet. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest wait for the close handshake when disconnecting before the socket is aborted. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Messages asked for per sync page when catching a session up; 0 lets the server pick (100). Default 100.</summary>
    public int SyncPageSize { get; set; } = 100;

    /// <summary>
    /// Largest frame the client writes; the smaller of this and the limit the server announces in its welcome applies. The gateway closes
    /// the socket on a larger frame, and a re-send after the reconnect would be closed again, so a larger
    /// send is refused here with <c>invalid_argument</c>. Default 64 KiB, the gateway's default.
    /// </summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>Last say over the socket (proxy, certificates, extra headers) before each connect. Default none.</summary>
    public Action<ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    internal void Validate()
    {
        if (InitialReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < InitialReconnectDelay)
        {
            throw new ArgumentException("Reconnect delays must be positive, with the maximum no shorter than the initial delay.");
        }

        if (ReconnectJitter is < 0 or > 1 || double.IsNaN(ReconnectJitter))
        {
            throw new ArgumentException("ReconnectJitter must be between 0 and 1.");
        }

        if (HeartbeatInterval is { } heartbeat && heartbeat <= TimeSpan.Zero && heartbeat != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("HeartbeatInterval must be positive, infinite, or null.");
        }

        if (HeartbeatInterval is { } interval && interval != Timeout.InfiniteTimeSpan && interval >= ServerTimeout)
        {
            throw new ArgumentException("HeartbeatInterval must be shorter than ServerTimeout, or a healthy connection is taken as dead between two pings.");
        }

        if (StableConnectionTime < TimeSpan.Zero)
        {
            throw new ArgumentException("StableConnectionTime must not be negative.");
        }

        if (ServerTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero || CloseTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("ServerTimeout and ConnectTimeout must be positive and CloseTimeout not negative.");
        }

        if (MaxFrameBytes < 256)
        {
            throw new ArgumentException("MaxFrameBytes must be at least 256.");
        }

        if (SyncPageSize < 0)
        {
            throw new ArgumentException("SyncPageSize must not be negative.");
        }
    }
}
