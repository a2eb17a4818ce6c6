namespace Resonance.Bench.Reporting;

/// <summary>Where a side-by-side run writes its JSON unless told: <c>bench/results/&lt;scenario&gt;-&lt;UTC time&gt;.json</c>.</summary>
internal static class ResultsPath
{
    /// <summary>In the repository the current directory is in (else under the current directory).</summary>
    public static string Default(string scenario, DateTimeOffset startedAt)
    {
        var root = new DirectoryInfo(Environment.CurrentDirectory);
        for (var directory = root; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Resonance.sln")))
            {
                root = directory;
                break;
            }
        }

        return Path.Combine(root.FullName, "bench", "results", $"{scenario}-{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.json");
    }
}
