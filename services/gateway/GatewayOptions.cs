using System.ComponentModel.DataAnnotations;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway;

/// <summary>How the gateway holds connections and reports routes. Section <c>Gateway</c>.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string Section = "Gateway";

    /// <summary>This gateway's id, the address task pushes to (its Dapr app-id on the Dapr engine). Default <c>gateway-1</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.\\-]*\\z")]
    public string GatewayId { get; set; } = "gateway-1";

    /// <summary>Frames waiting to be written to one connection; a connection whose queue fills is closed as a slow consumer. Default 1,024.</summary>
    [Range(1, 1_000_000)]
    public int OutboundQueueCapacity { get; set; } = 1_024;

    /// <summary>
    /// Bytes waiting to be written to one connection (the frame being written included). A frame that would take
    /// the queue past this closes the connection as a slow consumer (4100), as a full queue of frames does; while
    /// half of it is taken, syncs, whose answers can be large, are refused with <c>unavailable</c>. A frame larger
    /// than this still goes through an empty queue. Keep it well above a sync page (<c>Logic:MaxPageContentLength</c>).
    /// Default 4 MiB.
    /// </summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public int OutboundQueueBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest frame a client may send, in bytes; larger ones close the connection (1009). Default 64 KiB.</summary>
    [Range(256, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Sends of one connection that go to logic in one call (and, to one session, in one durable write): sends
    /// that arrive while the previous batch is being stored wait and go together. A connection with this many
    /// waiting is not read until the batch is taken. 1: every send on its own. Default 64.
    /// </summary>
    [Range(1, 4_096)]
    public int MaxSendsPerBatch { get; set; } = 64;

    /// <summary>
    /// Frame bytes of the sends that make one batch (see <see cref="MaxSendsPerBatch"/>); a batch is closed once it
    /// holds this much, so one call to logic stays small. At least <see cref="MaxFrameBytes"/>. Default 64 KiB.
    /// </summary>
    [Range(256, 64 * 1024 * 1024)]
    public int MaxSendBatchBytes { get; set; } = 64 * 1024;

    /// <summary>A connection that sends nothing for this long is closed (4101). Default 90 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often clients are told to ping (in the welcome packet). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a closing connection may take to flush its close frame before it is aborted. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Route changes are written at least this often. Default 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan RouteFlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Route changes are written as soon as this many are waiting. Default 50.</summary>
    [Range(1, 100_000)]
    public int RouteFlushBatchSize { get; set; } = 50;

    /// <summary>Every online user's route is written again this often, well within the route store's TTL. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RouteRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends one connection may make per <see cref="SendRatePeriod"/>, on average; a send beyond it is answered with
    /// <c>rate_limited</c> (and when to try again) and not sent. 0: no limit per connection. Default 20.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ConnectionSendRate { get; set; } = 20;

    /// <summary>Sends one connection may make at once, after a quiet spell (its token bucket's size). Default 40.</summary>
    [Range(1, 1_000_000)]
    public int ConnectionSendBurst { get; set; } = 40;

    /// <summary>
    /// Sends one user may make per <see cref="SendRatePeriod"/> over all of its connections to this gateway, on
    /// average. 0: no limit per user. Default 50.
    /// </summary>
    [Range(0, 1_000_000)]
    public int UserSendRate { get; set; } = 50;

    /// <summary>Sends one user may make at once over all of its connections to this gateway. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int UserSendBurst { get; set; } = 100;

    /// <summary>The period the send rates are counted in. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan SendRatePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After refusing a send, the gateway reads that connection's next frame only once the refused bucket has a
    /// token again, but waits this long at most. Refusals answered at once would let a flooding client make the
    /// gateway answer tens of thousands a second; this way TCP back-pressure slows it, at no cost. 0: no pause. Default 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRefusedSendPause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// WebSocket connections one user may hold on this gateway at once; an upgrade beyond it is refused with
    /// HTTP 429 (<c>rate_limited</c>) before the socket opens. 0: no limit. Default 20.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxConnectionsPerUser { get; set; } = 20;

    /// <summary>
    /// Sessions one user may create per <see cref="SessionCreatePeriod"/> (also its burst); beyond it
    /// <c>POST /api/v1/sessions</c> is answered 429 with <c>Retry-After</c>. 0: no limit. Default 10.
    /// </summary>
    [Range(0, 1_000_000)]
    public int SessionCreateLimit { get; set; } = 10;

    /// <summary>The period <see cref="SessionCreateLimit"/> is counted in. Default 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan SessionCreatePeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// REST requests (under <c>/api/v1</c>, health excepted) per <see cref="RestRatePeriod"/>, on average, for each
    /// user, or each remote address for requests without a valid token; beyond it the answer is 429 with
    /// <c>Retry-After</c>. 0: no limit. Default 50.
    /// </summary>
    [Range(0, 1_000_000)]
    public int RestRequestRate { get; set; } = 50;

    /// <summary>REST requests one user (or remote address) may make at once. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int RestRequestBurst { get; set; } = 100;

    /// <summary>The period <see cref="RestRequestRate"/> is counted in. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RestRatePeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Origins (<c>https://chat.example.com</c>) whose pages may open WebSockets here. Empty (the default): any.
    /// When set, an upgrade whose <c>Origin</c> header is present and not listed is refused with 403; one without
    /// <c>Origin</c> (not from a browser) is taken.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (!OriginAllowList.IsValid(origin))
            {
                yield return new ValidationResult($"Gateway:AllowedOrigins: '{origin}' is not an origin (scheme://host[:port], http or https, nothing after).",
                    [nameof(AllowedOrigins)]);
            }
        }

        if (MaxSendBatchBytes < MaxFrameBytes)
        {
            yield return new ValidationResult("Gateway:MaxSendBatchBytes must be at least Gateway:MaxFrameBytes, or a batch could not hold the largest send.",
                [nameof(MaxSendBatchBytes), nameof(MaxFrameBytes)]);
        }

        if (HeartbeatInterval >= IdleTimeout)
        {
            yield return new ValidationResult("Gateway:HeartbeatInterval must be shorter than Gateway:IdleTimeout, or clients that follow it are closed as idle.",
                [nameof(HeartbeatInterval), nameof(IdleTimeout)]);
        }
    }
}
