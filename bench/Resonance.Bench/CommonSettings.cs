namespace Resonance.Bench;

/// <param name="Url">A running server to measure; null starts the standalone host in this process.</param>
/// <param name="Synchronous">Storage:Synchronous of the in-process server (Full or Normal).</param>
/// <param name="JsonPath">Where to write the results as JSON; null writes none.</param>
/// <param name="Timeout">Hard limit on the whole run, setup included.</param>
internal sealed record CommonSettings(Uri? Url, string Synchronous, string? JsonPath, TimeSpan Timeout);
