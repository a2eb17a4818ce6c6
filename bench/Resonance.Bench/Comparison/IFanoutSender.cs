namespace Resonance.Bench.Comparison;

/// <summary>The sender's connection: one call puts one message to the group on the wire.</summary>
internal interface IFanoutSender : IAsyncDisposable
{
    /// <summary>Commands the server refused (Resonance error packets); 0 for servers that never answer.</summary>
    long Refused { get; }

    /// <summary>Returns once the message is written to the socket, not when it is delivered.</summary>
    Task SendAsync(string payload, CancellationToken cancellationToken);
}
