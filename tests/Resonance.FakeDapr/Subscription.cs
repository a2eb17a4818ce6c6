namespace Resonance.FakeDapr;

/// <summary>One entry of an app's <c>/dapr/subscribe</c> answer.</summary>
public sealed record Subscription(string PubSub, string Topic, string Route, string? DeadLetterTopic);
