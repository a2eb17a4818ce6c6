using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Resonance.Contracts;
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
    ResonanceClientOptions options,
    TimeProvider time,
    ILogger logger,
    CancellationToken stopping)
{
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);

    // Whether the client holds a welcomed socket: a session tracked meanwhile is caught up at once.
    private volatile bool _connected;

    public long? GetLastSeq(string sessionId) =>
        _sessions.TryGetValue(sessionId, out var session) ? Locked(session, static s => s.LastSeq) : null;

    /// <summary>
    /// Starts tracking at <paramref name="lastSeq"/>, or moves an existing session's mark forward. While
    /// connected, a session newly tracked or moved forward is caught up with a sync (unless one runs already);
    /// while disconnected, the next connect catches it up.
    /// </summary>
    public void Track(string sessionId, long lastSeq)
    {
        var fresh = new SessionState(sessionId, lastSeq);
        var session = _sessions.GetOrAdd(sessionId, fresh);
        var changed = ReferenceEquals(session, fresh);

        // Pairs with the barrier in CatchUpAll: either it sees this session or this sees it connected.
        Interlocked.MemoryBarrier();
        lock (session)
        {
            if (lastSeq > session.LastSeq)
            {
                session.LastSeq = lastSeq;
                changed = true;
                Settle(session);
            }

            if (changed && _connected && !session.Syncing)
            {
                StartSync(session);
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
        _connected = true;
        Interlocked.MemoryBarrier();
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

    /// <summary>The socket is gone: sessions tracked from now on wait for the next <see cref="CatchUpAll"/>.</summary>
    public void OnDisconnected() => _connected = false;

    /// <summary>
    /// Failures worth another try: the server said it is unavailable for now, or the answer did not come.
    /// A sync pending when the socket drops is not failed but re-sent, so drops do not show up here.
    /// </summary>
    private static bool IsTransient(Exception exception) => exception is
        ResonanceException { Code: ErrorCodes.Unavailable } or TimeoutException or WebSocketException or IOException;

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

    /// <summary>Starts a sync loop. Under the session's lock.</summary>
    private void StartSync(SessionState session)
    {
        session.Syncing = true;
        var loop = ++session.SyncLoop;

        // Off the caller's thread: callers hold the session's lock, and the loop must not run under it.
        _ = Task.Run(() => SyncLoopAsync(session, loop), CancellationToken.None);
    }

    /// <summary>
    /// Pages from the session's last seq until the server has nothing more and no buffered push waits.
    /// Transient failures are retried with the reconnect backoff; a rejection (e.g. session_not_found)
    /// drops the buffered pushes, which could never be delivered in order.
    /// </summary>
    private async Task SyncLoopAsync(SessionState session, long loop)
    {
        var failures = 0;
        long afterSeq = 0;
        try
        {
            while (true)
            {
                lock (session)
                {
                    afterSeq = session.LastSeq;
                }

                SyncResult result;
                try
                {
                    result = await sync(session.SessionId, afterSeq, options.SyncPageSize, stopping);
                    failures = 0;
                }
                catch (Exception) when (stopping.IsCancellationRequested)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    // The client was disposed; nothing is waiting for these pushes any more.
                    return;
                }
                catch (Exception ex) when (IsTransient(ex))
                {
                    var delay = ReconnectBackoff.Delay(failures++, options, Random.Shared);
                    Log.SyncRetrying(logger, ex, session.SessionId, afterSeq, delay.TotalMilliseconds);
                    await Task.Delay(delay, time, stopping);
                    continue;
                }
                catch (Exception ex)
                {
                    int dropped;
                    lock (session)
                    {
                        dropped = session.Buffered.Count;
                        session.Buffered.Clear();
                        session.Syncing = false;
                    }

                    Log.SyncRejected(logger, ex, session.SessionId, afterSeq, dropped);
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
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client is being disposed.
        }
        catch (Exception ex)
        {
            // Fire and forget: nobody would observe this exception, so it is logged here (once the flag is
            // clear). Buffered pushes stay; the next push that skips ahead or the next connect starts a new loop.
            EndLoop(session, loop);
            Log.SyncLoopFailed(logger, ex, session.SessionId, afterSeq);
        }
        finally
        {
            EndLoop(session, loop);
        }
    }

    /// <summary>Clears <see cref="SessionState.Syncing"/> if loop <paramref name="loop"/> still owns it (a later loop is left alone).</summary>
    private static void EndLoop(SessionState session, long loop)
    {
        lock (session)
        {
            if (session.SyncLoop == loop)
            {
                session.Syncing = false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Debug, "Dropped duplicate push {SessionId}#{Seq}")]
        public static partial void DuplicateDropped(ILogger logger, string sessionId, long seq);

        [LoggerMessage(102, LogLevel.Debug, "Gap in {SessionId}: delivered up to {LastSeq}, got {Seq}; syncing")]
        public static partial void GapDetected(ILogger logger, string sessionId, long lastSeq, long seq);

        [LoggerMessage(103, LogLevel.Warning, "Syncing {SessionId} after {AfterSeq} failed; retrying in {DelayMs:0} ms")]
        public static partial void SyncRetrying(ILogger logger, Exception exception, string sessionId, long afterSeq, double delayMs);

        [LoggerMessage(104, LogLevel.Warning, "The server has no messages of {SessionId} between {LastSeq} and {Seq}; delivering the rest")]
        public static partial void GapUnfillable(ILogger logger, string sessionId, long lastSeq, long seq);

        [LoggerMessage(105, LogLevel.Debug, "{SessionId} caught up to {LastSeq}")]
        public static partial void CaughtUp(ILogger logger, string sessionId, long lastSeq);

        [LoggerMessage(106, LogLevel.Error, "Syncing {SessionId} after {AfterSeq} was rejected; dropped {Dropped} buffered pushes")]
        public static partial void SyncRejected(ILogger logger, Exception exception, string sessionId, long afterSeq, int dropped);

        [LoggerMessage(107, LogLevel.Error, "The sync loop of {SessionId} (after {AfterSeq}) failed; the next push or connect starts another")]
        public static partial void SyncLoopFailed(ILogger logger, Exception exception, string sessionId, long afterSeq);
    }
}
