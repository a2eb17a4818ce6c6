using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>What the client has delivered of one session. Every member is read and written under a lock on the instance.</summary>
internal sealed class SessionState(string sessionId, long lastSeq)
{
    public string SessionId { get; } = sessionId;

    /// <summary>The highest seq handed to subscribers; every seq up to it was delivered once.</summary>
    public long LastSeq { get; set; } = lastSeq;

    /// <summary>A sync loop owns delivery: pushes wait in <see cref="Buffered"/> until it has filled the gap.</summary>
    public bool Syncing { get; set; }

    /// <summary>Counts sync loops started, so a loop that ends clears <see cref="Syncing"/> only while it still owns it.</summary>
    public long SyncLoop { get; set; }

    /// <summary>Pushes ahead of <see cref="LastSeq"/> + 1, held until the gap before them is filled.</summary>
    public SortedDictionary<long, Push> Buffered { get; } = [];
}
