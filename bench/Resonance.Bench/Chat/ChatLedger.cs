using Resonance.Bench.Reporting;
using Resonance.Bench.Scenarios;

namespace Resonance.Bench.Chat;

/// <summary>
/// Every message of a chat run by index: when it was scheduled, whether its ack and its delivery came (once), and
/// their latencies from the scheduled send for the measured ones (index ≥ warmup).
/// </summary>
internal sealed class ChatLedger(int total, int warmup)
{
    private readonly long[] _scheduled = new long[total];
    private readonly int[] _acked = new int[total];
    private readonly int[] _delivered = new int[total];
    private readonly TaskCompletionSource _warmupDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _warmupPending = 2 * warmup;
    private int _allPending = 2 * total;
    private long _duplicates;
    private long _strays;

    public LatencyRecorder Ack { get; } = new();

    public LatencyRecorder Delivery { get; } = new();

    /// <summary>Completes once every warmup message is acked and delivered.</summary>
    public Task WarmupDone => warmup == 0 ? Task.CompletedTask : _warmupDone.Task;

    /// <summary>Completes once every message is acked and delivered.</summary>
    public Task AllDone => _allDone.Task;

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Deliveries that were not a message of this run (unreadable content, or an index out of range).</summary>
    public long Strays => Interlocked.Read(ref _strays);

    public void Schedule(int index, long at) => _scheduled[index] = at;

    public void RecordAck(int index, long at)
    {
        if (Mark(_acked, index))
        {
            Count(index, Ack, at);
        }
    }

    public void RecordDelivery(string payload, long at)
    {
        if (!MessageStamp.TryParse(payload, out _, out var index) || index < 0 || index >= total)
        {
            Interlocked.Increment(ref _strays);
            return;
        }

        if (Mark(_delivered, index))
        {
            Count(index, Delivery, at);
        }
    }

    public int Acked(int from, int to) => Sum(_acked, from, to);

    public int Delivered(int from, int to) => Sum(_delivered, from, to);

    private static int Sum(int[] marks, int from, int to)
    {
        var sum = 0;
        for (var i = from; i < to; i++)
        {
            sum += Volatile.Read(ref marks[i]);
        }

        return sum;
    }

    private bool Mark(int[] marks, int index)
    {
        if ((uint)index >= (uint)total)
        {
            Interlocked.Increment(ref _strays);
            return false;
        }

        if (Interlocked.Exchange(ref marks[index], 1) == 0)
        {
            return true;
        }

        Interlocked.Increment(ref _duplicates);
        return false;
    }

    private void Count(int index, LatencyRecorder recorder, long at)
    {
        if (index >= warmup)
        {
            recorder.Record(_scheduled[index], at);
        }
        else if (Interlocked.Decrement(ref _warmupPending) == 0)
        {
            _warmupDone.TrySetResult();
        }

        if (Interlocked.Decrement(ref _allPending) == 0)
        {
            _allDone.TrySetResult();
        }
    }
}
