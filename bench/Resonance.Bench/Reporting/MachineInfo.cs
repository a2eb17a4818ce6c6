using System.Runtime;
using System.Runtime.InteropServices;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Reporting;

/// <summary>Where the numbers were taken.</summary>
internal sealed record MachineInfo(
    string MachineName,
    int ProcessorCount,
    string OperatingSystem,
    string Architecture,
    string Runtime,
    bool ServerGarbageCollector,
    int? OpenFileLimit,
    string? LoadAverage)
{
    public static MachineInfo Collect() => new(
        Environment.MachineName,
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString(),
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC,
        ConnectionBudget.OpenFileLimit(),
        ReadLoadAverage());

    /// <summary>1, 5 and 15 minute load averages from <c>/proc/loadavg</c> on Linux: how busy the machine was.</summary>
    public static string? ReadLoadAverage()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
        {
            return null;
        }

        var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? string.Join(' ', fields[..3]) : null;
    }
}
