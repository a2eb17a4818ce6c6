namespace Resonance.TaskService.Dispatch;

/// <summary>Counters of the push pipeline since start.</summary>
public sealed class PushStats
{
    private long _eventsProcessed;
    private long _eventsFailed;
    private long _batchesSent;
    private long _recipientsDelivered;
    private long _recipientsOffline;
    private long _retries;
    private long _recipientsGivenUp;
    private long _busyWorkers;

    public long EventsProcessed => Interlocked.Read(ref _eventsProcessed);

    public long EventsFailed => Interlocked.Read(ref _eventsFailed);

    /// <summary>Calls to gateways: one per gateway per message (and per retry round).</summary>
    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long RecipientsDelivered => Interlocked.Read(ref _recipientsDelivered);

    /// <summary>Members with no connection anywhere; they get the message by sync.</summary>
    public long RecipientsOffline => Interlocked.Read(ref _recipientsOffline);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Recipients still failing after the last retry; they get the message by sync.</summary>
    public long RecipientsGivenUp => Interlocked.Read(ref _recipientsGivenUp);

    public long BusyWorkers => Interlocked.Read(ref _busyWorkers);

    internal void EventProcessed() => Interlocked.Increment(ref _eventsProcessed);

    internal void EventFailed() => Interlocked.Increment(ref _eventsFailed);

    internal void BatchSent() => Interlocked.Increment(ref _batchesSent);

    internal void Delivered(int count) => Interlocked.Add(ref _recipientsDelivered, count);

    internal void Offline(int count) => Interlocked.Add(ref _recipientsOffline, count);

    internal void Retried() => Interlocked.Increment(ref _retries);

    internal void GaveUp(int count) => Interlocked.Add(ref _recipientsGivenUp, count);

    internal void WorkerBusy() => Interlocked.Increment(ref _busyWorkers);

    internal void WorkerIdle() => Interlocked.Decrement(ref _busyWorkers);
}
