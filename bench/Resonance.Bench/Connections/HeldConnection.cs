namespace Resonance.Bench.Connections;

/// <summary>One idle client connection of any system: what closes it, and what tells that the server closed it.</summary>
internal sealed record HeldConnection(IAsyncDisposable Connection, Task Completion)
{
    public bool IsOpen => !Completion.IsCompleted;
}
