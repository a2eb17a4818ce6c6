namespace Resonance.Client;

/// <summary>A change of <see cref="ResonanceClient.State"/>, with why the client disconnected when it did.</summary>
public sealed class ConnectionStateChangedEventArgs(
    ConnectionState previous,
    ConnectionState current,
    int? closeStatus = null,
    string? closeDescription = null,
    Exception? exception = null) : EventArgs
{
    public ConnectionState Previous { get; } = previous;

    public ConnectionState Current { get; } = current;

    /// <summary>
    /// The close code the server sent (e.g. 4100 slow consumer, 4101 idle timeout, 4102 token expired: the reconnect asks the
    /// token provider for a fresh one), when it closed the socket.
    /// </summary>
    public int? CloseStatus { get; } = closeStatus;

    public string? CloseDescription { get; } = closeDescription;

    /// <summary>What broke the connection or the connect attempt, when something did.</summary>
    public Exception? Exception { get; } = exception;
}
