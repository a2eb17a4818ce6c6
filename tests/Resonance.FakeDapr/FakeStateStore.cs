namespace Resonance.FakeDapr;

/// <summary>A state store component of the fake cluster: its name, key prefix, and whether actors keep their state in it.</summary>
public sealed record FakeStateStore(string Name, KeyPrefix KeyPrefix = KeyPrefix.AppId, bool ActorStateStore = false);
