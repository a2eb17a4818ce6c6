using Microsoft.Extensions.Logging;

namespace Resonance.Client;

public sealed partial class ResonanceClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Connecting to {Endpoint}")]
        public static partial void Connecting(ILogger logger, Uri endpoint);

        [LoggerMessage(2, LogLevel.Information, "Connected as {Username} ({ConnectionId} on {GatewayId})")]
        public static partial void Connected(ILogger logger, string username, string connectionId, string gatewayId);

        [LoggerMessage(3, LogLevel.Information, "Disconnected: close status {CloseStatus} {CloseDescription}")]
        public static partial void Disconnected(ILogger logger, int? closeStatus, string? closeDescription, Exception? exception);

        [LoggerMessage(4, LogLevel.Debug, "Reconnecting in {DelayMs:0} ms (attempt {Attempt})")]
        public static partial void WaitingToReconnect(ILogger logger, double delayMs, int attempt);

        [LoggerMessage(5, LogLevel.Warning, "Reconnect attempt {Attempt} failed")]
        public static partial void ConnectFailed(ILogger logger, Exception exception, int attempt);

        [LoggerMessage(6, LogLevel.Warning, "Skipped a frame from the server that is not a WsPacket")]
        public static partial void BadPacket(ILogger logger, Exception exception);

        [LoggerMessage(7, LogLevel.Debug, "Ignored a {Body} packet, which servers do not send")]
        public static partial void UnexpectedPacket(ILogger logger, string body);

        [LoggerMessage(8, LogLevel.Debug, "A sync result for {SessionId} matched no pending sync")]
        public static partial void UnmatchedSyncResult(ILogger logger, string sessionId);

        [LoggerMessage(9, LogLevel.Warning, "Server error {Code} matched no pending command: {Message}")]
        public static partial void UnmatchedError(ILogger logger, string code, string message);

        [LoggerMessage(10, LogLevel.Error, "The connection loop failed; reconnecting")]
        public static partial void RunFailed(ILogger logger, Exception exception);

        [LoggerMessage(11, LogLevel.Error, "Handling a {Body} packet failed; the connection carries on")]
        public static partial void PacketFailed(ILogger logger, Exception exception, string body);
    }
}
