using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Auth;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Connections;

/// <summary>Accepts an authenticated WebSocket at <c>/ws</c> and runs it until it closes.</summary>
public sealed partial class WebSocketEndpoint(
    ConnectionRegistry registry,
    ConnectionSlots slots,
    OriginAllowList origins,
    PacketHandler packets,
    GatewayCounters counters,
    IOptions<GatewayOptions> options,
    IOptions<AuthOptions> auth,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WebSocketEndpoint> logger)
{
    // 9000-01-01: far enough from DateTimeOffset.MaxValue that adding the clock skew cannot overflow.
    private const double LatestExpirySeconds = 221_845_392_000;

    private static readonly TimeSpan RouteWaitLimit = TimeSpan.FromSeconds(5);

    private readonly GatewayOptions _options = options.Value;
    private readonly TimeSpan _clockSkew = auth.Value.ClockSkew;

    public async Task<IResult> AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required",
                detail: $"Connect with a WebSocket client and subprotocol {Subprotocols.Protobuf} or {Subprotocols.Json}.");
        }

        if (!origins.Allows(context.Request.Headers.Origin))
        {
            Log.OriginRefused(logger, context.Request.Headers.Origin.ToString());
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: ErrorCodes.Forbidden,
                detail: "this origin may not open WebSockets here (Gateway:AllowedOrigins)",
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.Forbidden });
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Shutting down",
                detail: "This gateway is stopping; connect again (to another one).");
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        FrameEncoding encoding;
        string? subprotocol;
        if (requested.Count == 0)
        {
            (encoding, subprotocol) = (FrameEncoding.Json, null);
        }
        else if (requested.FirstOrDefault(p => p is Subprotocols.Protobuf or Subprotocols.Json) is { } chosen)
        {
            (encoding, subprotocol) = (chosen == Subprotocols.Protobuf ? FrameEncoding.Protobuf : FrameEncoding.Json, chosen);
        }
        else
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported subprotocol",
                detail: $"Ask for {Subprotocols.Protobuf} or {Subprotocols.Json}.");
        }

        var username = context.User.Identity!.Name!;
        if (!slots.TryTake(username))
        {
            // Refused before the upgrade, so that any client sees why: a close code would need an open socket.
            Log.ConnectionRefused(logger, username, _options.MaxConnectionsPerUser);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: ErrorCodes.RateLimited,
                detail: $"at most {_options.MaxConnectionsPerUser} connections per user; close one first",
                extensions: new Dictionary<string, object?> { ["code"] = ErrorCodes.RateLimited });
        }

        try
        {
            await RunAsync(context, username, encoding, subprotocol);
        }
        finally
        {
            slots.Release(username);
        }

        return Results.Empty;
    }

    private async Task RunAsync(HttpContext context, string username, FrameEncoding encoding, string? subprotocol)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = subprotocol });
        var connection = new ClientConnection(Guid.NewGuid().ToString("N"), username, encoding, socket, _options, counters, time);
        counters.ConnectionAccepted();
        if (TokenExpiry(context.User) is { } expiresAt)
        {
            // Taken until the same moment REST and the upgrade stop taking the token.
            connection.CloseWhenTokenExpires(expiresAt + _clockSkew);
        }

        connection.TryEnqueue(PacketCodec.Encode(Welcome(connection), encoding));
        var routed = registry.Add(connection);
        Log.Connected(logger, username, connection.Id, encoding);
        try
        {
            // Commands (a first sync above all) are taken only once task can find this connection,
            // so every message after a client's sync is pushed to it.
            await WaitForRouteAsync(routed, username);
            await connection.RunAsync(packets.HandleAsync);
        }
        finally
        {
            registry.Remove(connection);
            counters.ConnectionClosed();
            Log.Disconnected(logger, username, connection.Id);
        }
    }

    private async Task WaitForRouteAsync(Task routed, string username)
    {
        try
        {
            await routed.WaitAsync(RouteWaitLimit, time);
        }
        catch (TimeoutException)
        {
            // The route store is slow or down; serve anyway, the client's syncs still catch everything up.
            Log.RouteNotConfirmed(logger, username, RouteWaitLimit);
        }
    }

    /// <summary>The <c>exp</c> claim of the token the socket was opened with; null when it has none (or one past year 9000).</summary>
    private static DateTimeOffset? TokenExpiry(ClaimsPrincipal user) =>
        double.TryParse(user.FindFirst(GatewayClaims.Expiry)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and < LatestExpirySeconds
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;

    private WsPacket Welcome(ClientConnection connection) => new()
    {
        Welcome = new Welcome
        {
            Username = connection.Username,
            ConnectionId = connection.Id,
            GatewayId = _options.GatewayId,
            IdleTimeoutSeconds = (int)_options.IdleTimeout.TotalSeconds,
            HeartbeatIntervalSeconds = (int)_options.HeartbeatInterval.TotalSeconds,
            MaxFrameBytes = _options.MaxFrameBytes,
        },
    };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "{Username} connected as {ConnectionId} ({Encoding})")]
        public static partial void Connected(ILogger logger, string username, string connectionId, FrameEncoding encoding);

        [LoggerMessage(2, LogLevel.Debug, "{Username} disconnected {ConnectionId}")]
        public static partial void Disconnected(ILogger logger, string username, string connectionId);

        [LoggerMessage(3, LogLevel.Warning, "The route of {Username} was not confirmed within {Limit}; serving the connection anyway")]
        public static partial void RouteNotConfirmed(ILogger logger, string username, TimeSpan limit);

        [LoggerMessage(4, LogLevel.Debug, "An upgrade from origin {Origin} was refused: not in Gateway:AllowedOrigins")]
        public static partial void OriginRefused(ILogger logger, string origin);

        [LoggerMessage(5, LogLevel.Debug, "An upgrade of {Username} was refused: the user holds {Limit} connections already")]
        public static partial void ConnectionRefused(ILogger logger, string username, int limit);
    }
}
