namespace Resonance.Bench.Connections;

/// <summary>
/// What the workers of one run report once all have connected. Percentiles are each worker's own; the figure
/// given is the worst worker's (the workers do not merge their histograms).
/// </summary>
internal sealed record WorkerConnectResult(
    int Connected,
    int Failed,
    TimeSpan Elapsed,
    double ConnectP50Ms,
    double ConnectP99Ms,
    double ConnectMaxMs,
    IReadOnlyList<string> Errors);
