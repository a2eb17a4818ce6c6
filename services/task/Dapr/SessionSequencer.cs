using System.Collections.Concurrent;

namespace Resonance.TaskService.Dapr;

/// <summary>
/// Puts the push events of one session back in seq order before they are queued: Dapr may deliver
/// them concurrently or out of order. An event waits, at most <c>maxWait</c>, until the event before it
/// was queued; after that it goes anyway (the client syncs the gap). Events at or below the last queued
/// seq of their session pass at once (redeliveries: clients dedup). In a session not seen yet (a new one, or
/// any after a restart) seq 1 passes at once and a later seq waits for its predecessor once, within the same bound.
/// </summary>
public sealed class SessionSequencer(TimeProvider time, TimeSpan maxWait, int maxSessions = 100_000)
{
    private readonly ConcurrentDictionary<string, SessionLine> _sessions = new(StringComparer.Ordinal);

    public int TrackedSessions => _sessions.Count;

    /// <summary>Waits for the event's turn; call <see cref="Queued"/> once it is queued.</summary>
    public async Task WaitForTurnAsync(string sessionId, long seq, CancellationToken cancellationToken)
    {
        if (_sessions.Count >= maxSessions && !_sessions.ContainsKey(sessionId))
        {
            _sessions.Clear();
        }

        var line = _sessions.GetOrAdd(sessionId, static _ => new SessionLine());
        Task turn;
        lock (line)
        {
            if (seq <= line.LastQueued + 1)
            {
                return;
            }

            turn = line.WaitFor(seq - 1);
        }

        try
        {
            await turn.WaitAsync(maxWait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // The one before is lost or late: go on; a member who misses it syncs.
        }
    }

    /// <summary>Records that the event was queued, releasing the one after it.</summary>
    public void Queued(string sessionId, long seq)
    {
        var line = _sessions.GetOrAdd(sessionId, static _ => new SessionLine());
        lock (line)
        {
            if (seq > line.LastQueued)
            {
                line.LastQueued = seq;
            }

            line.Release(line.LastQueued);
        }
    }

    private sealed class SessionLine
    {
        private readonly SortedDictionary<long, TaskCompletionSource> _waiting = [];

        /// <summary>The highest seq queued so far; 0 while none is, so seq 1 passes and any other waits for its predecessor.</summary>
        public long LastQueued { get; set; }

        public Task WaitFor(long seq)
        {
            if (!_waiting.TryGetValue(seq, out var signal))
            {
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting.Add(seq, signal);
            }

            return signal.Task;
        }

        public void Release(long upTo)
        {
            while (_waiting.Count > 0)
            {
                using var first = _waiting.GetEnumerator();
                first.MoveNext();
                var (seq, signal) = first.Current;
                if (seq > upTo)
                {
                    return;
                }

                _waiting.Remove(seq);
                signal.TrySetResult();
            }
        }
    }
}
