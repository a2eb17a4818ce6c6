namespace Resonance.Bench.Scenarios;

/// <summary>One group message on its way to every connected member: when it was sent, who still waits, when the last got it.</summary>
internal sealed class FanoutMessage(int recipients)
{
    private long _sentAt;
    private long _lastReceivedAt;
    private int _remaining = recipients;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long SentAt
    {
        get => Volatile.Read(ref _sentAt);
        set => Volatile.Write(ref _sentAt, value);
    }

    public long LastReceivedAt => Interlocked.Read(ref _lastReceivedAt);

    public int Remaining => Volatile.Read(ref _remaining);

    public void Received(long at)
    {
        var last = Interlocked.Read(ref _lastReceivedAt);
        while (at > last)
        {
            var seen = Interlocked.CompareExchange(ref _lastReceivedAt, at, last);
            if (seen == last)
            {
                break;
            }

            last = seen;
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Done.TrySetResult();
        }
    }
}
