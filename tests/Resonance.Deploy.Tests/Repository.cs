namespace Resonance.Deploy.Tests;

/// <summary>Paths in the repository these tests check (found from the test's folder upwards).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "dapr.yaml")) && File.Exists(Path.Combine(dir.FullName, "Resonance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No repository root (dapr.yaml beside Resonance.sln) above {AppContext.BaseDirectory}.");
    }
}
