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
}
