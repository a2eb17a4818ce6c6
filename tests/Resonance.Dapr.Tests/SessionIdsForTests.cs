namespace Resonance.DaprEngine.Tests;

internal static class SessionIdsForTests
{
    /// <summary>A well-formed group id that no test creates.</summary>
    public const string MissingGroup = "g_00000000000000000000000000000000";
}
