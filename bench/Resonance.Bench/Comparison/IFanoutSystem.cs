namespace Resonance.Bench.Comparison;

/// <summary>
/// One server under comparison, started fresh for one run, and its wire protocol: the open-loop harness
/// connects recipients and a sender through it and never sees the protocol itself.
/// </summary>
internal interface IFanoutSystem : IAsyncDisposable
{
    /// <summary>The key in reports: <c>resonance</c>, <c>signalr</c> or <c>raw</c>.</summary>
    string Name { get; }

    /// <summary>What was measured, for the report (server, protocol, settings).</summary>
    string Description { get; }

    /// <summary>Set-up before any connection (users, tokens, the group), for a group of the sender and <paramref name="recipients"/>.</summary>
    Task PrepareAsync(int recipients, CancellationToken cancellationToken);

    /// <summary>
    /// Connects recipient <paramref name="index"/> and returns once the server delivers the group's messages to
    /// it; each delivered payload goes to <paramref name="onPayload"/> with the time its frame arrived.
    /// </summary>
    Task<IAsyncDisposable> ConnectRecipientAsync(int index, Action<string, long> onPayload, CancellationToken cancellationToken);

    Task<IFanoutSender> ConnectSenderAsync(CancellationToken cancellationToken);
}
