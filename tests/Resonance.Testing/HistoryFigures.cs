namespace Resonance.Testing;

/// <param name="Attempted">Sends written to a socket.</param>
/// <param name="Acked">Of those, the ones acked.</param>
/// <param name="UnackedStored">Sends not acked (the host died first) that are stored all the same.</param>
/// <param name="UnackedLost">Sends not acked and not stored.</param>
public sealed record HistoryFigures(int Attempted, int Acked, int UnackedStored, int UnackedLost);
