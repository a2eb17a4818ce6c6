using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.Gateway.Routing;

/// <summary>
/// Reports which users this gateway holds. Changes are coalesced per user (the latest wins) and
/// written in batches, every <see cref="GatewayOptions.RouteFlushInterval"/> or as soon as
/// <see cref="GatewayOptions.RouteFlushBatchSize"/> wait; a failed write is retried with the next
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
    private TaskCompletionSource _batchFull = NewSignal();

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

    /// <summary>Records that the user now has (or no longer has) a connection on this gateway.</summary>
    public void Report(string username, bool connected)
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

            if (_pending.Count >= _options.RouteFlushBatchSize)
            {
                _batchFull.TrySetResult();
            }
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
        while (!stoppingToken.IsCancellationRequested)
        {
            Task batchFull;
            lock (_gate)
            {
                batchFull = _batchFull.Task;
            }

            try
            {
                await Task.WhenAny(batchFull, Task.Delay(_options.RouteFlushInterval, time, stoppingToken));
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (time.GetUtcNow() >= nextRefresh)
            {
                nextRefresh = time.GetUtcNow() + _options.RouteRefreshInterval;
                QueueRefresh();
            }

            await FlushAsync(stoppingToken);
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
        lock (_gate)
        {
            if (_batchFull.Task.IsCompleted)
            {
                _batchFull = NewSignal();
            }

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
        }

        try
        {
            await store.ApplyAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            counters.RouteFlushFailed();
            Log.FlushFailed(logger, ex, batch.Count);
            lock (_gate)
            {
                // Put them back unless a newer change for the same user arrived meanwhile.
                foreach (var change in batch)
                {
                    _pending.TryAdd(change.Username, change.Connected);
                }
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
