using System.Collections.Concurrent;
using Resonance.Contracts.V1;
using Resonance.Logic.Local;
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

/// <summary>The real store, with a barrier in front of <see cref="ISessionState.ReadAsync"/> while one is set.</summary>
internal sealed class GatedReadStore(ISessionStateStore inner) : ISessionStateStore
{
    public TaskCompletionSource? ReadEntered { get; set; }

    public Task? ReadGate { get; set; }

    public ISessionState Open(string sessionId) => new GatedState(this, inner.Open(sessionId));

    private sealed class GatedState(GatedReadStore store, ISessionState inner) : ISessionState
    {
        public string SessionId => inner.SessionId;

        public Task<SessionHead?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) => inner.CreateAsync(head, createdAt, cancellationToken);

        public Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
            inner.AddMembersAsync(added, membersVersion, cancellationToken);

        public Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken) => inner.AppendAsync(message, cancellationToken);

        public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken) =>
            inner.AppendManyAsync(messages, cancellationToken);

        public Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken) =>
            inner.FindByClientMsgIdAsync(from, clientMsgId, cancellationToken);

        public async Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken)
        {
            store.ReadEntered?.TrySetResult();
            if (store.ReadGate is { } gate)
            {
                await gate.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return await inner.ReadAsync(afterSeq, limit, cancellationToken);
        }
    }
}

/// <summary>The real store, counting how often a session's head is read from it.</summary>
internal sealed class CountingLoadStore(ISessionStateStore inner) : ISessionStateStore
{
    private int _loads;

    public int Loads => Volatile.Read(ref _loads);

    public ISessionState Open(string sessionId) => new CountingState(this, inner.Open(sessionId));

    private sealed class CountingState(CountingLoadStore store, ISessionState inner) : ISessionState
    {
        public string SessionId => inner.SessionId;

        public Task<SessionHead?> LoadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref store._loads);
            return inner.LoadAsync(cancellationToken);
        }

        public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) => inner.CreateAsync(head, createdAt, cancellationToken);

        public Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
            inner.AddMembersAsync(added, membersVersion, cancellationToken);

        public Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken) => inner.AppendAsync(message, cancellationToken);

        public Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken) =>
            inner.AppendManyAsync(messages, cancellationToken);

        public Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken) =>
            inner.FindByClientMsgIdAsync(from, clientMsgId, cancellationToken);

        public Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
            inner.ReadAsync(afterSeq, limit, cancellationToken);
    }
}

/// <summary>
/// The real store, whose <see cref="FailingCall"/>-th batch append (1-based) throws after it has written: a store
/// whose commit took effect but whose answer was lost.
/// </summary>
internal sealed class FailingAppendStore(ISessionStateStore inner) : ISessionStateStore
{
    private int _calls;

    public int FailingCall { get; set; }

    public ISessionState Open(string sessionId) => new FailingState(this, inner.Open(sessionId));

    private sealed class FailingState(FailingAppendStore store, ISessionState inner) : ISessionState
    {
        public string SessionId => inner.SessionId;

        public Task<SessionHead?> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task<bool> CreateAsync(SessionHead head, DateTimeOffset createdAt, CancellationToken cancellationToken) => inner.CreateAsync(head, createdAt, cancellationToken);

        public Task AddMembersAsync(IReadOnlyCollection<string> added, long membersVersion, CancellationToken cancellationToken) =>
            inner.AddMembersAsync(added, membersVersion, cancellationToken);

        public Task<AppendResult> AppendAsync(StoredMessage message, CancellationToken cancellationToken) => inner.AppendAsync(message, cancellationToken);

        public async Task<IReadOnlyList<AppendResult>> AppendManyAsync(IReadOnlyList<StoredMessage> messages, CancellationToken cancellationToken)
        {
            var results = await inner.AppendManyAsync(messages, cancellationToken);
            return Interlocked.Increment(ref store._calls) == store.FailingCall
                ? throw new InvalidOperationException("the store's answer was lost")
                : results;
        }

        public Task<StoredMessage?> FindByClientMsgIdAsync(string from, string clientMsgId, CancellationToken cancellationToken) =>
            inner.FindByClientMsgIdAsync(from, clientMsgId, cancellationToken);

        public Task<IReadOnlyList<StoredMessage>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken) =>
            inner.ReadAsync(afterSeq, limit, cancellationToken);
    }
}
