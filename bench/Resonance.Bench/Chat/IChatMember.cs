namespace Resonance.Bench.Chat;

/// <summary>One member's connection; its acks and the deliveries to it go to the run's <see cref="ChatLedger"/>.</summary>
internal interface IChatMember : IAsyncDisposable
{
    /// <summary>Sends without waiting for the ack (open loop): the ledger gets the ack when it comes.</summary>
    Task SendAsync(int index, string payload, CancellationToken cancellationToken);

    /// <summary>Sends the server refused (Resonance error packets); 0 for a relay.</summary>
    long Refused { get; }
}
