namespace Resonance.FakeDapr;

/// <summary>An event as it was published.</summary>
public sealed record PublishedEvent(string Id, string SourceAppId, string PubSub, string Topic, byte[] Data, string ContentType);
