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
    private readonly GatewayOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _online = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _batchFull = NewSignal();
    private TaskCompletionSource _written = NewSignal();

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
                    await Task.WhenAny(changed, Task.Delay(untilRefresh, time, stoppingToken));
                }

                if (time.GetUtcNow() >= nextRefresh)
                {
                    nextRefresh = time.GetUtcNow() + _options.RouteRefreshInterval;
                    QueueRefresh();
                }

                await FlushAsync(stoppingToken);

                // Rate limit: the next write waits out the interval unless a full batch is waiting.
                Task batchFull;
                lock (_gate)
                {
                    batchFull = _batchFull.Task;
                }

                await Task.WhenAny(batchFull, Task.Delay(_options.RouteFlushInterval, time, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
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
            written.TrySetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            counters.RouteFlushFailed();
            Log.FlushFailed(logger, ex, batch.Count);
            lock (_gate)
            {
                // Put them back unless a newer change for the same user arrived meanwhile; whoever
                // waits for this batch now waits for the next write.
                foreach (var change in batch)
                {
                    _pending.TryAdd(change.Username, change.Connected);
                }

                _changed.TrySetResult();
                _written.Task.ContinueWith(_ => written.TrySetResult(), TaskScheduler.Default);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Writing {ChangeCount} route changes failed; they will be retried with the next batch")]
        public static partial void FlushFailed(ILogger logger, Exception exception, int changeCount);
    }
}
