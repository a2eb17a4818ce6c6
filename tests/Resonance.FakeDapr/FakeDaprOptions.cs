namespace Resonance.FakeDapr;

/// <summary>The components and delivery policy of a fake cluster.</summary>
public sealed class FakeDaprOptions
{
    public List<FakeStateStore> StateStores { get; init; } = [];

    public HashSet<string> PubSubs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Wait before an event is delivered again after RETRY or a failed delivery.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deliveries of one event before it goes to the dead-letter topic (or is dropped without one).</summary>
    public int MaxDeliveryAttempts { get; init; } = 50;

    /// <summary>The clock of state TTLs.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
