using System.Diagnostics;
using System.Globalization;

namespace Resonance.Bench.Infrastructure;

/// <summary>What Linux says about another process: resident set size and CPU time.</summary>
internal static class ProcessStatus
{
    /// <summary>VmRSS of <c>/proc/&lt;pid&gt;/status</c> in bytes; null where there is no such file.</summary>
    public static long? ResidentBytes(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var fields = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(fields[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    /// <summary>User plus system CPU time the process has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        using var process = Process.GetProcessById(pid);
        return process.TotalProcessorTime;
    }
}
