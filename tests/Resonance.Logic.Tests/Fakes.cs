using System.Collections.Concurrent;
using Resonance.Contracts.V1;
using Resonance.Logic.Publishing;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

/// <summary>Records push events in the order they are published; can be told to fail.</summary>
internal sealed class RecordingPublisher : IPushEventPublisher
{
    private readonly ConcurrentQueue<PushEvent> _events = new();
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>Thrown by every publish (after recording the event) while set.</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<PushEvent> Events => [.. _events];

    /// <summary>Most publishes that were under way at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public async Task PublishAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        _events.Enqueue(pushEvent);

        // Give a concurrent publish the chance to overtake this one if the turn did not hold it back.
        await Task.Yield();
        Interlocked.Decrement(ref _inFlight);
        if (Failure is { } failure)
        {
            throw failure;
        }
    }
}

/// <summary>The real store, with a barrier in front of <see cref="ISessionStore.ReadAsync"/> while one is set.</summary>
internal sealed class GatedReadStore(ISessionStore inner) : ISessionStore
{
    public TaskCompletionSource? ReadEntered { get; set; }

    public Task? ReadGate { get; set; }

    public Task<SessionHead?> LoadAsync(string sessionId, CancellationToken cancellationToken) => inner.LoadAsync(sessionId, cancellationToken);

    public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) => inner.CreateAsync(head, createdAt, cancellationToken);

    public Task AddMembersAsync(string sessionId, IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
        inner.AddMembersAsync(sessionId, added, membersVersion, cancellationToken);

    public Task<bool> AppendAsync(StoredMessage message, CancellationToken cancellationToken) => inner.AppendAsync(message, cancellationToken);

    public Task<StoredMessage?> FindByClientMsgIdAsync(string sessionId, string from, string clientMsgId, CancellationToken cancellationToken) =>
        inner.FindByClientMsgIdAsync(sessionId, from, clientMsgId, cancellationToken);

    public async Task<IReadOnlyList<StoredMessage>> ReadAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        ReadEntered?.TrySetResult();
        if (ReadGate is { } gate)
        {
            await gate.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }

        return await inner.ReadAsync(sessionId, afterSeq, limit, cancellationToken);
    }

    public Task<IReadOnlyList<SessionSummary>> ListForMemberAsync(string username, CancellationToken cancellationToken) => inner.ListForMemberAsync(username, cancellationToken);
}
