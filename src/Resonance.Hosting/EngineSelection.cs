using Microsoft.AspNetCore.Builder;

namespace Resonance.Hosting;

/// <summary>
/// <c>Resonance:Engine</c> names the engine a host runs on: <c>Local</c> (everything in one process,
/// <c>services/standalone</c>) or <c>Dapr</c> (each service its own Dapr app). A host refuses the engine it does not run.
/// </summary>
public static class EngineSelection
{
    public const string Key = "Resonance:Engine";
    public const string Local = "Local";
    public const string Dapr = "Dapr";

    /// <summary>Fails at start-up, naming the host to use instead, when configuration asks for another engine than <paramref name="engine"/>.</summary>
    public static WebApplicationBuilder RequireEngine(this WebApplicationBuilder builder, string engine, string otherwise)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var asked = builder.Configuration[Key];
        if (!string.IsNullOrEmpty(asked) && !string.Equals(asked, engine, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Key} is \"{asked}\", but this host runs the {engine} engine only. {otherwise}");
        }

        return builder;
    }
}
