using System.Diagnostics;
using System.Reflection;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// Starts this tool again as a child process (a server or a client worker of its own), the same build and
/// runtime settings: through its app host, or through <c>dotnet</c> and the assembly when that is how it was started.
/// </summary>
internal static class SelfInvocation
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        var viaDotnet = Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(processPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (viaDotnet)
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
