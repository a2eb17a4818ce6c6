using System.Collections.Immutable;

namespace Resonance.Logic.Sessions;

/// <summary>
/// What a session must know to take a command: kind, members, highest seq.
/// Immutable: a command produces a new head, so readers never see half an update.
/// </summary>
public sealed record SessionHead(
    string SessionId,
    string Kind,
    string Name,
    ImmutableSortedSet<string> Members,
    long MembersVersion,
    long LastSeq)
{
    public bool IsMember(string username) => Members.Contains(username);
}
