using System.Diagnostics;

namespace Resonance.Bench.ReconnectStorm;

/// <summary>
/// The seqs of one session one client has seen, through pushes or syncs: the highest seq up to which it has
/// them all (where its sync resumes), how many distinct, and how many it saw twice.
/// </summary>
internal sealed class SeqLedger
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _seen = [];
    private long _contiguous;
    private long _repeats;

    public long Contiguous
    {
        get
        {
            lock (_gate)
            {
                return _contiguous;
            }
        }
    }

    public int Distinct
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Seqs seen more than once (a push and a sync of the same message); normal around a reconnect.</summary>
    public long Repeats => Interlocked.Read(ref _repeats);

    public void Record(long seq)
    {
        lock (_gate)
        {
            if (!_seen.Add(seq))
            {
                Interlocked.Increment(ref _repeats);
                return;
            }

            while (_seen.Contains(_contiguous + 1))
            {
                _contiguous++;
            }
        }
    }

    /// <summary>How many of seqs 1..<paramref name="last"/> it has not seen.</summary>
    public long MissingUpTo(long last)
    {
        lock (_gate)
        {
            long missing = 0;
            for (var seq = _contiguous + 1; seq <= last; seq++)
            {
                if (!_seen.Contains(seq))
                {
                    missing++;
                }
            }

            return missing;
        }
    }

    /// <summary>Waits until every client has every seq up to its session's <paramref name="lastSeq"/>; on timeout throws, or returns if told not to.</summary>
    public static async Task WaitUntilAllHaveAsync(SeqLedger[] ledgers, Func<int, long> lastSeq, TimeSpan timeout, CancellationToken cancellationToken, bool throwOnTimeout = true)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (Enumerable.Range(0, ledgers.Length).Any(i => ledgers[i].Contiguous < lastSeq(i)))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                if (throwOnTimeout)
                {
                    throw new TimeoutException($"Not every client had its session's messages within {timeout.TotalSeconds:0} s.");
                }

                return;
            }

            await tick.WaitForNextTickAsync(cancellationToken);
        }
    }
}
