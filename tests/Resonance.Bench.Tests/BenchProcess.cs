using System.Diagnostics;

namespace Resonance.Bench.Tests;

/// <summary>The bench's Release build started as the README does (<c>dotnet run --no-build -c Release</c>), with a 5-minute limit.</summary>
internal static class BenchProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("dotnet", ["run", "--no-build", "-c", "Release", "--project", Path.Combine(root, "bench", "Resonance.Bench"), "--", .. args])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the bench did not finish in 5 minutes:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Resonance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No Resonance.sln above the test folder.");
    }
}
