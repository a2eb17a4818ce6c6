using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.Gateway.Routing;

/// <summary>
/// Reports which users this gateway holds. Changes are coalesced per user (the latest wins) and
/// written in batches: a change waiting alone is written at once, after that at most one write per
/// <see cref="GatewayOptions.RouteFlushInterval"/> unless <see cref="GatewayOptions.RouteFlushBatchSize"/>
/// changes wait, so a reconnect storm costs few writes. A failed write is retried with the next
/// batch. Online users are re-reported every <see cref="GatewayOptions.RouteRefreshInterval"/> so
/// their routes outlive the store's TTL, and a stopping gateway withdraws all of its routes.
/// </summary>
public sealed partial class RouteReporter(
    IRouteStore store,
    IOptions<GatewayOptions> options,
    GatewayCounters counters,
    TimeProvider time,
    ILogger<RouteReporter> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly GatewayOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _online = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _batchFull = NewSignal();
    private TaskCompletionSource _written = NewSignal();
    private int _consecutiveFailures;

    /// <summary>Changes waiting to be written.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Whether the last change reported for the user said connected.</summary>
    public bool IsReportedOnline(string username)
    {
        lock (_gate)
        {
            return _online.Contains(username);
        }
    }

    /// <summary>
    /// Records that the user now has (or no longer has) a connection on this gateway. The task
    /// completes once the change (or a later one for the same user) is in the store.
    /// </summary>
    public Task Report(string username, bool connected)
    {
        lock (_gate)
        {
            _pending[username] = connected;
            if (connected)
            {
                _online.Add(username);
            }
            else
            {
                _online.Remove(username);
            }

            _changed.TrySetResult();
            if (_pending.Count >= _options.RouteFlushBatchSize)
            {
                _batchFull.TrySetResult();
            }

            return _written.Task;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        lock (_gate)
        {
            foreach (var username in _online)
            {
                _pending[username] = false;
            }

            _online.Clear();
        }

        await FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRefresh = time.GetUtcNow() + _options.RouteRefreshInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task changed;
                lock (_gate)
                {
                    changed = _changed.Task;
                }

                var untilRefresh = nextRefresh - time.GetUtcNow();
                if (untilRefresh > TimeSpan.Zero)
                {
                    await WaitAnyAsync(changed, untilRefresh, stoppingToken);
                }

                if (time.GetUtcNow() >= nextRefresh)
                {
                    nextRefresh = time.GetUtcNow() + _options.RouteRefreshInterval;
                    QueueRefresh();
                }

                await FlushAsync(stoppingToken);

                // Rate limit: the next write waits out the interval unless a full batch is waiting
                // (after failures: a growing backoff, full batch or not).
                Task batchFull;
                lock (_gate)
                {
                    batchFull = _consecutiveFailures == 0 ? _batchFull.Task : Never;
                }

                await WaitAnyAsync(batchFull, NextFlushDelay(), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Waits for the signal or the delay, whichever comes first, and cancels the delay's timer.</summary>
    private async Task WaitAnyAsync(Task signal, TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var elapsed = Task.Delay(delay, time, timer.Token);
        await Task.WhenAny(signal, elapsed);
        timer.Cancel();
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void QueueRefresh()
    {
        lock (_gate)
        {
            foreach (var username in _online)
            {
                _pending.TryAdd(username, true);
            }
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        List<RouteChange> batch;
        TaskCompletionSource written;
        lock (_gate)
        {
            _changed = NewSignal();
            _batchFull = NewSignal();
            if (_pending.Count == 0)
            {
                return;
            }

            batch = new List<RouteChange>(_pending.Count);
            foreach (var (username, connected) in _pending)
            {
                batch.Add(new RouteChange { Username = username, GatewayId = _options.GatewayId, Connected = connected });
            }

            _pending.Clear();
            written = _written;
            _written = NewSignal();
        }

        try
        {
            await store.ApplyAsync(batch, cancellationToken);
            _consecutiveFailures = 0;
            written.TrySetResult();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                // Put them back unless a newer change for the same user arrived meanwhile; whoever
                // waits for this batch now waits for the next write (the stopping flush included).
                foreach (var change in batch)
                {
                    _pending.TryAdd(change.Username, change.Connected);
                }

                _changed.TrySetResult();
                _written.Task.ContinueWith(_ => written.TrySetResult(), TaskScheduler.Default);
            }

            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            _consecutiveFailures++;
            counters.RouteFlushFailed();
            Log.FlushFailed(logger, ex, batch.Count, _consecutiveFailures);
        }
    }

    /// <summary>The wait before the next write: the flush interval, doubled per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    private TimeSpan NextFlushDelay()
    {
        var interval = _options.RouteFlushInterval;
        for (var i = 0; i < _consecutiveFailures && interval < MaxBackoff; i++)
        {
            interval *= 2;
        }

        return interval < MaxBackoff ? interval : MaxBackoff;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Writing {ChangeCount} route changes failed ({Failures} in a row); they will be retried with the next batch")]
        public static partial void FlushFailed(ILogger logger, Exception exception, int changeCount, int failures);
    }
}
