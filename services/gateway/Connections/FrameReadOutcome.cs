namespace Resonance.Gateway.Connections;

/// <summary>What became of one wait for a client frame (<see cref="FrameReader"/>).</summary>
internal enum FrameReadOutcome
{
    /// <summary>A whole frame was read and handled.</summary>
    Handled,

    /// <summary>The client sent a close frame.</summary>
    Closed,

    /// <summary>A text frame on a binary subprotocol, or the other way round.</summary>
    WrongType,

    /// <summary>The frame is longer than the limit; it was not read to its end.</summary>
    TooBig,
}
