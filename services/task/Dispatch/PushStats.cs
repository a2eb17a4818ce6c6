using System.Diagnostics.Metrics;

namespace Resonance.TaskService.Dispatch;

/// <summary>Counters of the push pipeline since start, published as the <c>Resonance.Task</c> meter.</summary>
public sealed class PushStats
{
    public const string MeterName = "Resonance.Task";

    private readonly Histogram<double>? _pushDelay;
    private long _eventsProcessed;
    private long _eventsFailed;
    private long _batchesSent;
    private long _recipientsDelivered;
    private long _recipientsOffline;
    private long _retries;
    private long _recipientsGivenUp;
    private long _busyWorkers;

    /// <param name="meterFactory">Publishes the counters as instruments; none when null (tests).</param>
    public PushStats(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            return;
        }

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableCounter("resonance.task.events", () => EventsProcessed, "{event}");
        meter.CreateObservableCounter("resonance.task.events.failed", () => EventsFailed, "{event}");
        meter.CreateObservableCounter("resonance.task.batches", () => BatchesSent, "{batch}");
        meter.CreateObservableCounter("resonance.task.recipients.delivered", () => RecipientsDelivered, "{recipient}");
        meter.CreateObservableCounter("resonance.task.recipients.offline", () => RecipientsOffline, "{recipient}");
        meter.CreateObservableCounter("resonance.task.retries", () => Retries, "{retry}");
        meter.CreateObservableCounter("resonance.task.recipients.given_up", () => RecipientsGivenUp, "{recipient}");
        meter.CreateObservableUpDownCounter("resonance.task.workers.busy", () => BusyWorkers, "{worker}");
        _pushDelay = meter.CreateHistogram<double>("resonance.task.push.delay", "ms", "From a message being stored to its batch being handed to a gateway");
    }

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

    internal void PushDelay(TimeSpan delay) => _pushDelay?.Record(delay.TotalMilliseconds);

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
