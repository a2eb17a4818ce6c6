using Resonance.Bench.Reporting;
using Resonance.Bench.Scenarios;

namespace Resonance.Bench.Comparison;

/// <summary>
/// Every delivery of one run, checked against what was sent: each (recipient, message) counts once, a second
/// copy is a duplicate; latency is timed from the send time the payload carries (the scheduled one).
/// Each recipient reports from its own read loop, so its row is written by one thread.
/// </summary>
internal sealed class DeliveryLedger
{
    private readonly bool[][] _seen;
    private readonly int _warmup;
    private long _outstanding;
    private long _warmupOutstanding;
    private long _received;
    private long _duplicates;
    private long _strays;
    private long _lastReceivedAt;

    public DeliveryLedger(int recipients, int messages, int warmup)
    {
        _seen = new bool[recipients][];
        for (var i = 0; i < recipients; i++)
        {
            _seen[i] = new bool[messages];
        }

        _warmup = warmup;
        _outstanding = (long)(messages - warmup) * recipients;
        _warmupOutstanding = (long)warmup * recipients;
        if (_outstanding == 0)
        {
            AllReceived.TrySetResult();
        }

        if (_warmupOutstanding == 0)
        {
            WarmupReceived.TrySetResult();
        }
    }

    /// <summary>Completes when every warmup message reached every recipient.</summary>
    public TaskCompletionSource WarmupReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every measured message reached every recipient.</summary>
    public TaskCompletionSource AllReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LatencyRecorder Latency { get; } = new();

    /// <summary>Distinct measured deliveries.</summary>
    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Payloads that are not messages of this run.</summary>
    public long Strays => Interlocked.Read(ref _strays);

    /// <summary>When the last measured delivery arrived (Stopwatch timestamp; 0 if none).</summary>
    public long LastReceivedAt => Interlocked.Read(ref _lastReceivedAt);

    public void Record(int recipient, string payload, long receivedAt)
    {
        var seen = _seen[recipient];
        if (!MessageStamp.TryParse(payload, out var sentAt, out var index) || index >= seen.Length)
        {
            Interlocked.Increment(ref _strays);
            return;
        }

        if (seen[index])
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        seen[index] = true;
        if (index < _warmup)
        {
            if (Interlocked.Decrement(ref _warmupOutstanding) == 0)
            {
                WarmupReceived.TrySetResult();
            }

            return;
        }

        Latency.Record(sentAt, receivedAt);
        Interlocked.Increment(ref _received);
        for (var last = LastReceivedAt; receivedAt > last; last = LastReceivedAt)
        {
            if (Interlocked.CompareExchange(ref _lastReceivedAt, receivedAt, last) == last)
            {
                break;
            }
        }

        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            AllReceived.TrySetResult();
        }
    }
}
