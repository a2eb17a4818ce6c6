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
}
