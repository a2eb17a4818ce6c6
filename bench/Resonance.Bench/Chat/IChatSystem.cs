namespace Resonance.Bench.Chat;

/// <summary>A server under the chat scenario and its wire protocol: pairs of members, each able to send to the other.</summary>
internal interface IChatSystem
{
    string Name { get; }

    /// <summary>What an ack means for it: stored durably, or only taken by a relay.</summary>
    string Description { get; }

    bool Durable { get; }

    /// <summary>Users, tokens, sessions: whatever must exist before the members connect.</summary>
    Task PrepareAsync(int pairs, CancellationToken cancellationToken);

    /// <summary>Connects side <paramref name="side"/> (0 or 1) of pair <paramref name="pair"/>; returns once it gets what is sent to it.</summary>
    Task<IChatMember> ConnectAsync(int pair, int side, ChatLedger ledger, CancellationToken cancellationToken);
}
