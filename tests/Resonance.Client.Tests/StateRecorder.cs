using System.Threading.Channels;

namespace Resonance.Client.Tests;

/// <summary>Records a client's state changes in order, so a test can await a particular one.</summary>
internal sealed class StateRecorder
{
    private readonly Channel<ConnectionStateChangedEventArgs> _changes = Channel.CreateUnbounded<ConnectionStateChangedEventArgs>();
    private readonly List<ConnectionStateChangedEventArgs> _seen = [];

    public StateRecorder(ResonanceClient client) => client.StateChanged += (_, change) => _changes.Writer.TryWrite(change);

    /// <summary>Every change awaited so far, in order.</summary>
    public IReadOnlyList<ConnectionStateChangedEventArgs> Seen => _seen;

    /// <summary>Skips changes until one matches; returns it.</summary>
    public async Task<ConnectionStateChangedEventArgs> WaitForAsync(ConnectionState state, Func<ConnectionStateChangedEventArgs, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        while (true)
        {
            var change = await _changes.Reader.ReadAsync(timeout.Token);
            _seen.Add(change);
            if (change.Current == state && (match is null || match(change)))
            {
                return change;
            }
        }
    }

    /// <summary>Changes that happened but were not awaited yet.</summary>
    public List<ConnectionStateChangedEventArgs> Unread()
    {
        var unread = new List<ConnectionStateChangedEventArgs>();
        while (_changes.Reader.TryRead(out var change))
        {
            unread.Add(change);
        }

        return unread;
    }
}
