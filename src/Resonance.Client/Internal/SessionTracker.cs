using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>
/// Turns pushes and sync results into one gap-free, duplicate-free stream per session. A push
/// that skips ahead starts a sync loop from the last delivered seq; while it runs, pushes are
/// buffered and delivered after the synced messages, so subscribers see seq 1, 2, 3 … exactly once.
/// </summary>
internal sealed partial class SessionTracker(
    Func<string, long, int, CancellationToken, Task<SyncResult>> sync,
    DeliveryQueue deliveries,
    int pageSize,
    ILogger logger,
    CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);

    public long? GetLastSeq(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var session) ? Locked(session, static s => s.LastSeq) : null;

    /// <summary>Starts tracking at <paramref name="lastSeq"/>, or moves an existing session's mark forward.</summary>
    public void Track(string sessionId, long lastSeq)
    {
        var session = _sessions.GetOrAdd(sessionId, static (id, seq) => new SessionState(id, seq), lastSeq);
        lock (session)
        {
            if (lastSeq > session.LastSeq)
            {
                session.LastSeq = lastSeq;
                Settle(session);
            }
        }
    }

    /// <summary>A session first met through our own send starts just before that message, so its push is delivered.</summary>
    public void OnAck(SendAck ack) =>
        _sessions.TryAdd(ack.SessionId, new SessionState(ack.SessionId, Math.Max(0, ack.Seq - 1)));

    public void OnPush(Push push)
    {
        // A session first met through a push starts with it: earlier history is the application's to fetch.
        var session = _sessions.GetOrAdd(push.SessionId, static (id, seq) => new SessionState(id, seq), Math.Max(0, push.Seq - 1));
        lock (session)
        {
            if (push.Seq <= session.LastSeq)
            {
                Log.DuplicateDropped(logger, push.SessionId, push.Seq);
                return;
            }

            if (!session.Syncing && push.Seq == session.LastSeq + 1)
            {
                Deliver(session, push);
                Settle(session);
                return;
            }

            session.Buffered.TryAdd(push.Seq, push);
            if (!session.Syncing)
            {
                Log.GapDetected(logger, push.SessionId, session.LastSeq, push.Seq);
                StartSync(session);
            }
        }
    }

    /// <summary>Syncs every tracked session from its last seq (after a connect, when pushes may have been missed).</summary>
    public void CatchUpAll()
    {
        foreach (var session in _sessions.Values)
        {
            lock (session)
            {
                // A running loop already has its sync pending; it is re-sent on the new socket.
                if (!session.Syncing)
                {
                    StartSync(session);
                }
            }
        }
    }

    private static T Locked<T>(SessionState session, Func<SessionState, T> read)
    {
        lock (session)
        {
            return read(session);
        }
    }

    private void Deliver(SessionState session, Push push)
    {
        session.LastSeq = push.Seq;
        deliveries.Enqueue(push);
    }

    /// <summary>Delivers buffered pushes that now follow on; a gap still left starts a sync.</summary>
    private void Settle(SessionState session)
    {
        DrainBuffered(session);
        if (!session.Syncing && session.Buffered.Count > 0)
        {
            StartSync(session);
        }
    }

    private void DrainBuffered(SessionState session)
    {
        while (session.Buffered.Count > 0)
        {
            var (seq, push) = session.Buffered.First();
            if (seq > session.LastSeq + 1)
            {
                return;
            }

            session.Buffered.Remove(seq);
            if (seq == session.LastSeq + 1)
            {
                Deliver(session, push);
            }
        }
    }

    private void StartSync(SessionState session)
    {
        session.Syncing = true;

        // Off the caller's thread: callers hold the session's lock, and the loop must not run under it.
        _ = Task.Run(() => SyncLoopAsync(session), CancellationToken.None);
    }

    private async Task SyncLoopAsync(SessionState session)
    {
        while (true)
        {
            long afterSeq;
            lock (session)
            {
                afterSeq = session.LastSeq;
            }

            SyncResult result;
            try
            {
                result = await sync(session.SessionId, afterSeq, pageSize, stopping);
            }
            catch (Exception ex)
            {
                // Buffered pushes stay: the next push or reconnect tries again.
                if (!stopping.IsCancellationRequested)
                {
                    Log.SyncFailed(logger, ex, session.SessionId, afterSeq);
                }

                lock (session)
                {
                    session.Syncing = false;
                }

                return;
            }

            lock (session)
            {
                foreach (var message in result.Messages)
                {
                    if (message.Seq > session.LastSeq)
                    {
                        Deliver(session, message);
                    }
                }

                DrainBuffered(session);
                if (result.HasMore && result.Messages.Count > 0)
                {
                    continue;
                }

                if (session.Buffered.Count > 0 && result.Messages.Count == 0)
                {
                    // The server holds nothing to fill the gap; waiting would hold these pushes forever.
                    Log.GapUnfillable(logger, session.SessionId, session.LastSeq, session.Buffered.Keys.First());
                    foreach (var push in session.Buffered.Values)
                    {
                        Deliver(session, push);
                    }

                    session.Buffered.Clear();
                }

                if (session.Buffered.Count == 0)
                {
                    session.Syncing = false;
                    Log.CaughtUp(logger, session.SessionId, session.LastSeq);
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Dropped duplicate push {SessionId}#{Seq}")]
        public static partial void DuplicateDropped(ILogger logger, string sessionId, long seq);

        [LoggerMessage(2, LogLevel.Debug, "Gap in {SessionId}: delivered up to {LastSeq}, got {Seq}; syncing")]
        public static partial void GapDetected(ILogger logger, string sessionId, long lastSeq, long seq);

        [LoggerMessage(3, LogLevel.Warning, "Syncing {SessionId} after {AfterSeq} failed; will retry on the next push or reconnect")]
        public static partial void SyncFailed(ILogger logger, Exception exception, string sessionId, long afterSeq);

        [LoggerMessage(4, LogLevel.Warning, "The server has no messages of {SessionId} between {LastSeq} and {Seq}; delivering the rest")]
        public static partial void GapUnfillable(ILogger logger, string sessionId, long lastSeq, long seq);

        [LoggerMessage(5, LogLevel.Debug, "{SessionId} caught up to {LastSeq}")]
        public static partial void CaughtUp(ILogger logger, string sessionId, long lastSeq);
    }
}
