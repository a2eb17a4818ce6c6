namespace Resonance.Logic.Local;

/// <summary>SQLite's <c>synchronous</c> setting: how far a commit is on disk when it completes.</summary>
public enum SqliteSynchronous
{
    /// <summary>Every commit is fsynced: an acked message survives power loss.</summary>
    Full,

    /// <summary>Commits survive a crash of the process, not of the machine.</summary>
    Normal,
}
