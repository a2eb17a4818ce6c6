namespace Resonance.FakeDapr;

/// <summary>
/// The two tokens of a sidecar, as daprd reads them from its environment: <c>APP_API_TOKEN</c>, which it
/// presents to its app, and <c>DAPR_API_TOKEN</c>, which its app must present to it. Either may be absent.
/// </summary>
public sealed record SidecarTokens(string? AppApiToken = null, string? DaprApiToken = null);
