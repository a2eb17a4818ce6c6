using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <param name="Head">The session after the send.</param>
/// <param name="Ack">What the sender gets back.</param>
/// <param name="Stored">The message if this send stored it; null when it repeated an earlier send.</param>
public sealed record SendOutcome(SessionHead Head, SendAck Ack, StoredMessage? Stored);
