namespace Resonance.Client;

/// <summary>Where a <see cref="ResonanceClient"/> is in its connection life cycle.</summary>
public enum ConnectionState
{
    /// <summary>No socket: not started yet, between reconnect attempts, or disposed.</summary>
    Disconnected,

    /// <summary>Opening a socket and waiting for the server's welcome.</summary>
    Connecting,

    /// <summary>Welcomed by the server; commands flow.</summary>
    Connected,
}
