using System.Net.WebSockets;

namespace Resonance.Testing;

public sealed class SocketClosedException(WebSocketCloseStatus? status, string? reason)
    : Exception($"The server closed the socket: {(int?)status} {reason}")
{
    public WebSocketCloseStatus? Status { get; } = status;

    public string? Reason { get; } = reason;
}
