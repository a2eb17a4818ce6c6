namespace Resonance.Logic.Sessions;

/// <summary>One loaded session: its current head, and the turn a command must hold to change it.</summary>
public sealed class SessionSlot(SessionHead head)
{
    private SessionHead _head = head;

    public SemaphoreSlim Turn { get; } = new(1, 1);

    /// <summary>Replaced whole by the command holding the turn; read by anyone.</summary>
    public SessionHead Head
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
