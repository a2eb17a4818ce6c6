using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Resonance.Deploy.Tests;

/// <summary>Renders a kustomization with <c>kubectl kustomize</c> (test.sh installs kubectl, as the browser tests' Chromium).</summary>
internal static class Kustomize
{
    private static readonly Dictionary<string, IReadOnlyList<JsonObject>> Rendered = [];

    public static IReadOnlyList<JsonObject> Render(string folder)
    {
        lock (Rendered)
        {
            if (!Rendered.TryGetValue(folder, out var documents))
            {
                documents = Yaml.Documents(Run(folder));
                Rendered[folder] = documents;
            }

            return documents;
        }
    }

    private static string Run(string folder)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Repository.PathOf(folder)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("kubectl is not installed: install the 'kubectl' package (./test.sh does on Debian when run as root).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl kustomize {folder} did not finish in a minute.");
            }

            Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed: {error.Result}");
            return output.Result;
        }
    }
}
