using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <param name="Head">The session after the sends.</param>
/// <param name="Replies">One per send, in the order of the sends: its ack or its own error.</param>
/// <param name="Stored">The messages these sends stored, in seq order (to be published); repeats are not among them.</param>
/// <param name="HeadIsStale">
/// The store refused a seq: another writer moved the session. The sends from there on were answered
/// <c>unavailable</c>; the host must reload the head before the next command.
/// </param>
public sealed record SendManyOutcome(SessionHead? Head, IReadOnlyList<SendReply> Replies, IReadOnlyList<StoredMessage> Stored, bool HeadIsStale);
