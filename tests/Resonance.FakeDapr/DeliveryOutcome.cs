namespace Resonance.FakeDapr;

/// <summary>How an app answered a delivery, read as daprd reads it.</summary>
internal enum DeliveryOutcome
{
    Success,
    Retry,
    Drop,
    NotFound,
}
