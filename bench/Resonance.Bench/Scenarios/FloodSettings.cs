namespace Resonance.Bench.Scenarios;

/// <param name="Pairs">Direct sessions of well-behaved users: a sender and a receiver each.</param>
/// <param name="Rate">Messages per second each well-behaved sender sends, on its own fixed schedule.</param>
/// <param name="Duration">Each phase: without the flood, then with it.</param>
/// <param name="FloodSends">Sends the flooding client keeps in flight at once, as fast as answers come.</param>
/// <param name="Size">Content length in characters.</param>
/// <param name="Limits">The in-process host's abuse limits: on (its defaults) or off (to see what they prevent).</param>
internal sealed record FloodSettings(int Pairs, double Rate, TimeSpan Duration, int FloodSends, int Size, bool Limits);
