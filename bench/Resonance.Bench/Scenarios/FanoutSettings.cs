namespace Resonance.Bench.Scenarios;

/// <param name="Members">Members of the group, the sender included.</param>
/// <param name="Connected">Members with a connection, the sender included.</param>
/// <param name="Messages">Messages measured; each is sent once the previous reached every connected member.</param>
/// <param name="Warmup">Messages sent first and not measured.</param>
/// <param name="Size">Content length in characters.</param>
/// <param name="MessageTimeout">Longest wait for one message to reach everyone before moving on.</param>
internal sealed record FanoutSettings(int Members, int Connected, int Messages, int Warmup, int Size, TimeSpan MessageTimeout);
