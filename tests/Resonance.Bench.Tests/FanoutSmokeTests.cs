using System.Diagnostics;
using System.Text.Json;

namespace Resonance.Bench.Tests;

/// <summary>
/// A short run of the fan-out comparison, started with the README's command: every system delivers every
/// message to every recipient exactly once. Counts only; how fast is for bench/, never for a test.
/// </summary>
public sealed class FanoutSmokeTests
{
    [Fact]
    public async Task Resonance_SignalR_and_raw_each_deliver_every_message_once_to_every_recipient()
    {
        var json = Path.Combine(Path.GetTempPath(), $"resonance-bench-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, output) = await RunBenchAsync("fanout", "--members", "20", "--rate", "20", "--duration", "3", "--against", "signalr,raw", "--json", json, "--timeout", "240");
            Assert.True(exitCode == 0, $"the bench exited with {exitCode}:\n{output}");

            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var systems = report.RootElement.GetProperty("systems");
            Assert.Equal(["raw", "resonance", "signalr"], systems.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
            foreach (var system in systems.EnumerateObject())
            {
                var run = system.Value;
                Assert.True(run.GetProperty("failure").ValueKind == JsonValueKind.Null, $"{system.Name}: {run.GetProperty("failure")}");
                Assert.Equal(19, run.GetProperty("recipients").GetInt32());
                var expected = run.GetProperty("expected").GetInt64();
                Assert.Equal(run.GetProperty("messagesSent").GetInt64() * 19, expected);
                Assert.True(expected > 0, $"{system.Name} sent nothing");
                Assert.Equal(expected, run.GetProperty("received").GetInt64());
                Assert.Equal((0L, 0L, 0L), (run.GetProperty("lost").GetInt64(), run.GetProperty("duplicates").GetInt64(), run.GetProperty("strays").GetInt64()));
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunBenchAsync(params string[] args)
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
