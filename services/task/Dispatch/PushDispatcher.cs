using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Resonance.Contracts.V1;

namespace Resonance.TaskService.Dispatch;

/// <summary>
/// A pool of <see cref="TaskOptions.WorkerCount"/> workers, each with its own queue. A session is
/// always handled by the same worker (partition by session id), so its messages are pushed in order
/// while different sessions are pushed in parallel. A worker takes the events of one session queued
/// behind the one it took (up to <see cref="TaskOptions.MaxMessagesPerPush"/>) and pushes them as one run.
/// </summary>
public sealed partial class PushDispatcher(
    PushDelivery delivery,
    PushStats stats,
    IOptions<TaskOptions> options,
    ILogger<PushDispatcher> logger) : IHostedService
{
    private readonly Channel<WorkItem>[] _partitions = CreatePartitions(options.Value);
    private readonly int _maxMessagesPerPush = options.Value.MaxMessagesPerPush;
    private Task[] _workers = [];

    public int WorkerCount => _partitions.Length;

    /// <summary>Queues the event and returns once it is queued; waits while the worker's queue is full.</summary>
    public ValueTask EnqueueAsync(PushEvent pushEvent, CancellationToken cancellationToken) =>
        PartitionOf(pushEvent).Writer.WriteAsync(new WorkItem(pushEvent, null), cancellationToken);

    /// <summary>
    /// Queues the event and completes once it was pushed (for consumers that acknowledge after delivery):
    /// true when every gateway was reached, false when one could not be (see <see cref="PushDelivery.DeliverAsync"/>).
    /// </summary>
    public async Task<bool> DispatchAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        var delivered = await QueueAsync(pushEvent, cancellationToken);
        return await delivered.WaitAsync(cancellationToken);
    }

    /// <summary>Returns once the event is queued (events queued in order are pushed in order), with the task of its delivery.</summary>
    public async Task<Task<bool>> QueueAsync(PushEvent pushEvent, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await PartitionOf(pushEvent).Writer.WriteAsync(new WorkItem(pushEvent, done), cancellationToken);
        return done.Task;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _workers = new Task[_partitions.Length];
        for (var i = 0; i < _partitions.Length; i++)
        {
            var partition = _partitions[i].Reader;
            _workers[i] = Task.Run(() => RunWorkerAsync(partition), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops taking events and finishes the queued ones, or stops waiting when the host's patience runs out.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var partition in _partitions)
        {
            partition.Writer.TryComplete();
        }

        await Task.WhenAll(_workers).WaitAsync(cancellationToken);
    }

    private Channel<WorkItem> PartitionOf(PushEvent pushEvent)
    {
        var hash = (uint)StringComparer.Ordinal.GetHashCode(pushEvent.Message.SessionId);
        return _partitions[hash % (uint)_partitions.Length];
    }

    private async Task RunWorkerAsync(ChannelReader<WorkItem> queue)
    {
        var run = new List<WorkItem>(_maxMessagesPerPush);
        var events = new List<PushEvent>(_maxMessagesPerPush);
        while (await queue.WaitToReadAsync())
        {
            while (TakeRun(queue, run))
            {
                events.Clear();
                foreach (var item in run)
                {
                    events.Add(item.Event);
                }

                await DeliverRunAsync(run, events);
                run.Clear();
            }
        }
    }

    /// <summary>The next event and the events of the same session and members version queued right behind it.</summary>
    private bool TakeRun(ChannelReader<WorkItem> queue, List<WorkItem> run)
    {
        if (!queue.TryRead(out var first))
        {
            return false;
        }

        run.Add(first);
        while (run.Count < _maxMessagesPerPush
            && queue.TryPeek(out var next)
            && next.Event.MembersVersion == first.Event.MembersVersion
            && string.Equals(next.Event.Message.SessionId, first.Event.Message.SessionId, StringComparison.Ordinal)
            && queue.TryRead(out next))
        {
            run.Add(next);
        }

        return true;
    }

    private async Task DeliverRunAsync(List<WorkItem> run, List<PushEvent> events)
    {
        stats.WorkerBusy();
        try
        {
            var allReached = await delivery.DeliverManyAsync(events, CancellationToken.None);
            foreach (var item in run)
            {
                stats.EventProcessed();
                item.Done?.TrySetResult(allReached);
            }
        }
        catch (Exception ex)
        {
            foreach (var item in run)
            {
                stats.EventFailed();
                Log.DeliveryFailed(logger, ex, item.Event.Message.SessionId, item.Event.Message.Seq);
                item.Done?.TrySetException(ex);
            }
        }
        finally
        {
            stats.WorkerIdle();
        }
    }

    private static Channel<WorkItem>[] CreatePartitions(TaskOptions options)
    {
        var partitions = new Channel<WorkItem>[options.WorkerCount];
        for (var i = 0; i < partitions.Length; i++)
        {
            partitions[i] = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.WorkerQueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        return partitions;
    }

    private readonly record struct WorkItem(PushEvent Event, TaskCompletionSource<bool>? Done);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Delivering {SessionId}#{Seq} failed; members will get it by sync")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string sessionId, long seq);
    }
}
