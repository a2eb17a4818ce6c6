namespace Resonance.FakeDapr;

/// <summary>How an app answered a delivery, read as daprd reads it.</summary>
internal enum DeliveryOutcome
{
    Success,
    Retry,
    /// <summary>DROP, or 404: the app has no such route (daprd treats both as dropped).</summary>
    Drop,
}
