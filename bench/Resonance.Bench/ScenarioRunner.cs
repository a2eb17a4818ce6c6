using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;

namespace Resonance.Bench;

/// <summary>Starts (or points at) the server, runs one scenario under the time limit, and prints and saves its report.</summary>
internal static class ScenarioRunner
{
    public static async Task<int> RunAsync(
        string scenario,
        CommonSettings common,
        Func<BenchTarget, ScenarioReport, CancellationToken, Task> run,
        CancellationToken cancellationToken,
        bool abuseLimits = false)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(common.Timeout);
        BenchLog.Info(common.Url is null ? $"starting the standalone host in-process (Storage:Synchronous={common.Synchronous})" : $"using the server at {common.Url}");
        await using var target = common.Url is null
            ? await BenchTarget.StartInProcessAsync(common.Synchronous, limit.Token, abuseLimits)
            : BenchTarget.Remote(common.Url);
        var report = new ScenarioReport(scenario, target.Description);
        report.Parameter("time limit", $"{common.Timeout.TotalSeconds:0} s");
        var exitCode = 0;
        try
        {
            await run(target, report, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            report.Note(cancellationToken.IsCancellationRequested
                ? "Interrupted: the figures are partial."
                : $"Stopped by the {common.Timeout.TotalSeconds:0} s time limit: the figures are partial.");
            exitCode = 2;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException or TimeoutException or ArgumentException)
        {
            report.Note($"Failed: {ex.GetType().Name}: {ex.Message}");
            exitCode = 1;
        }

        report.Parameter("load average at end", MachineInfo.ReadLoadAverage() ?? "unknown");
        ReportPrinter.Print(report);
        if (common.JsonPath is not null)
        {
            await JsonReportWriter.WriteAsync(report, common.JsonPath, CancellationToken.None);
            BenchLog.Info($"wrote {common.JsonPath}");
        }

        BenchLog.Info("stopping");
        return exitCode;
    }
}
