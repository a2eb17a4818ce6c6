using System.ComponentModel.DataAnnotations;

namespace Resonance.Standalone.Local;

/// <summary>Section <c>LocalEngine</c>.</summary>
public sealed class LocalEngineOptions
{
    public const string Section = "LocalEngine";

    /// <summary>A route not refreshed for this long is treated as gone. Default 90 s (three gateway refreshes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RouteTtl { get; set; } = TimeSpan.FromSeconds(90);
}
