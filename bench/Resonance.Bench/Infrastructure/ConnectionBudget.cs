namespace Resonance.Bench.Infrastructure;

/// <summary>
/// How many WebSocket connections one run may open: under the process's open-file limit (both ends
/// count when the server is in this process) and never more than <see cref="HardCap"/>.
/// </summary>
internal static class ConnectionBudget
{
    public const int HardCap = 6_000;

    /// <summary>File descriptors kept back for the runtime, SQLite, HTTP clients and the listener.</summary>
    private const int Reserve = 1_000;

    public static int Max(bool serverInProcess)
    {
        var limit = OpenFileLimit() ?? 1_024;
        var perConnection = serverInProcess ? 2 : 1;
        return Math.Clamp((limit - Reserve) / perConnection, 1, HardCap);
    }

    /// <summary>The soft limit on open files, read from <c>/proc/self/limits</c> on Linux; null elsewhere.</summary>
    public static int? OpenFileLimit()
    {
        const string path = "/proc/self/limits";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length > 0 && int.TryParse(fields[0], out var soft) ? soft : null;
        }

        return null;
    }
}
