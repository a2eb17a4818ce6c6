using System.Collections.Immutable;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>A session's head as the actor stores it (key <c>head</c>), JSON in the actor state store.</summary>
public sealed class SessionHeadRecord
{
    public string Kind { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    /// <summary>Usernames in ordinal order.</summary>
    public string[] Members { get; set; } = [];

    public long MembersVersion { get; set; }

    public long LastSeq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public static SessionHeadRecord From(SessionHead head, DateTimeOffset createdAt) => new()
    {
        Kind = head.Kind,
        Name = head.Name,
        Members = [.. head.Members],
        MembersVersion = head.MembersVersion,
        LastSeq = head.LastSeq,
        CreatedAt = createdAt,
    };

    public SessionHead ToHead(string sessionId) =>
        new(sessionId, Kind, Name, ImmutableSortedSet.Create(StringComparer.Ordinal, Members), MembersVersion, LastSeq);
}
