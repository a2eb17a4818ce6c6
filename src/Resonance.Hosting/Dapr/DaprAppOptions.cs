using System.ComponentModel.DataAnnotations;

namespace Resonance.Hosting.Dapr;

/// <summary>How a service runs as a Dapr app. Section <c>Dapr</c>.</summary>
public sealed class DaprAppOptions
{
    public const string Section = "Dapr";

    /// <summary>
    /// Refuse to start without <c>APP_API_TOKEN</c>, so internal endpoints are never open. Default true;
    /// the Development environment turns it off for local trials.
    /// </summary>
    public bool RequireAppApiToken { get; set; } = true;

    /// <summary>Deadline of one call to another app through the sidecar. Default 10 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan InvokeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
