using System.Diagnostics;
using System.Text.Json;

namespace Resonance.Bench.Tests;

/// <summary>Runs the bench as the README does (<c>dotnet run -c Release --project bench/Resonance.Bench -- …</c>, already built) and reads its JSON.</summary>
internal static class BenchRun
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    /// <summary>Runs a scenario with <c>--json</c> to a temporary file; asserts exit code 0 and returns the parsed report.</summary>
    public static async Task<JsonDocument> RunAsync(params string[] args)
    {
        var json = Path.Combine(Path.GetTempPath(), $"resonance-bench-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, output) = await RunProcessAsync([.. args, "--json", json]);
            Assert.True(exitCode == 0, $"the bench exited with {exitCode}:\n{output}");
            return JsonDocument.Parse(await File.ReadAllTextAsync(json));
        }
        finally
        {
            File.Delete(json);
            File.Delete(Path.ChangeExtension(json, ".png"));
        }
    }

    /// <summary>The names under <c>systems</c>, sorted.</summary>
    public static string[] SystemNames(JsonDocument report) =>
        [.. report.RootElement.GetProperty("systems").EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal)];

    public static JsonElement System(JsonDocument report, string name) => report.RootElement.GetProperty("systems").GetProperty(name);

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string[] args)
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
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the bench did not finish in {Deadline.TotalMinutes:0} minutes:\n{await stdout}\n{await stderr}");
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
