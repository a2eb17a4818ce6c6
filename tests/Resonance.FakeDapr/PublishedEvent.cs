namespace Resonance.FakeDapr;

/// <summary>An event as it was published; one with an expiry (metadata <c>ttlInSeconds</c>) is not delivered after it.</summary>
public sealed record PublishedEvent(string Id, string SourceAppId, string PubSub, string Topic, byte[] Data, string ContentType, DateTimeOffset? ExpiresAt = null);
