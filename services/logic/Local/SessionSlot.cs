using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>
/// One session as this process knows it: its state, its current head (null while the session does
/// not exist, so a missing session is remembered like any other), and the turn a command must hold to change it.
/// </summary>
public sealed class SessionSlot(ISessionState state, SessionHead? head)
{
    private SessionHead? _head = head;

    public ISessionState State { get; } = state;

    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>Replaced whole by the command holding the turn; read by anyone.</summary>
    public SessionHead? Head
    {
        get => Volatile.Read(ref _head);
        set => Volatile.Write(ref _head, value);
    }

    /// <summary>Commands holding or waiting for the turn; a slot with any is never evicted. Under the slot's lock.</summary>
    internal int Leases { get; set; }

    /// <summary>Set when the slot left the directory; a command that finds it so loads the session again. Under the slot's lock.</summary>
    internal bool Evicted { get; set; }

    /// <summary>When a command last took this slot, for choosing what to evict.</summary>
    internal long LastUsed { get; set; }
}
