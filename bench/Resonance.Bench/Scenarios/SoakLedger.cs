namespace Resonance.Bench.Scenarios;

/// <summary>
/// Which acked message should reach which receiver, and which did: every (receiver, session) pair holds the
/// seqs it was pushed, every session the seqs its sender saw acked. Lost = acked but never pushed to a
/// receiver; duplicates = pushed twice. Pushes are counted as they arrive on bare sockets, with no client-side
/// repair (a ResonanceClient would sync a gap away).
/// </summary>
internal sealed class SoakLedger
{
    private readonly Dictionary<string, string[]> _receivers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<long>> _acked = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Receiver, string Session), HashSet<long>> _pushed = [];
    private long _expected;
    private long _received;
    private long _duplicates;

    public long Expected => Interlocked.Read(ref _expected);

    public long Received => Interlocked.Read(ref _received);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Before traffic: the receivers whose pushes count for a session (its senders are not among them).</summary>
    public void AddSession(string sessionId, string[] receivers)
    {
        lock (_acked)
        {
            _receivers[sessionId] = receivers;
            _acked[sessionId] = [];
            foreach (var receiver in receivers)
            {
                _pushed[(receiver, sessionId)] = [];
            }
        }
    }

    public void Acked(string sessionId, long seq)
    {
        lock (_acked)
        {
            if (_acked[sessionId].Add(seq))
            {
                _expected += _receivers[sessionId].Length;
            }
        }
    }

    public void Pushed(string receiver, string sessionId, long seq)
    {
        lock (_acked)
        {
            if (!_pushed.TryGetValue((receiver, sessionId), out var seqs))
            {
                return;
            }

            if (seqs.Add(seq))
            {
                _received++;
            }
            else
            {
                _duplicates++;
            }
        }
    }

    /// <summary>Acked messages some receiver of their session was never pushed.</summary>
    public long Lost()
    {
        lock (_acked)
        {
            long lost = 0;
            foreach (var ((_, session), pushed) in _pushed)
            {
                foreach (var seq in _acked[session])
                {
                    if (!pushed.Contains(seq))
                    {
                        lost++;
                    }
                }
            }

            return lost;
        }
    }

    /// <summary>Pushes of messages whose ack the sender never saw (a send cut off by the end of the run).</summary>
    public long Unacked()
    {
        lock (_acked)
        {
            long unacked = 0;
            foreach (var ((_, session), pushed) in _pushed)
            {
                var acked = _acked[session];
                foreach (var seq in pushed)
                {
                    if (!acked.Contains(seq))
                    {
                        unacked++;
                    }
                }
            }

            return unacked;
        }
    }
}
