namespace Resonance.Client.Tests;

internal static class Timeouts
{
    /// <summary>How long a test waits for an effect before failing; generous for slow CI machines.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);
}
