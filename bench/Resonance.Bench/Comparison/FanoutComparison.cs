using System.Net.WebSockets;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Plotting;
using Resonance.Bench.Reporting;

namespace Resonance.Bench.Comparison;

/// <summary>
/// <c>fanout --rate</c>: the open-loop fan-out against Resonance and the baselines, one system after another,
/// each run on a freshly started server; prints one table and writes the JSON report.
/// </summary>
internal static class FanoutComparison
{
    public const string Resonance = "resonance";
    public const string SignalR = "signalr";
    public const string Raw = "raw";

    public static readonly string[] Baselines = [SignalR, Raw];

    public static async Task<int> RunAsync(OpenLoopSettings settings, string? jsonPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var report = new ComparisonReport(settings, MachineInfo.Collect(), DateTimeOffset.UtcNow);
        var exitCode = 0;
        foreach (var name in settings.Systems)
        {
            var result = new SystemResult(name);
            report.Systems.Add(result);
            var steps = settings.Sweep ? OpenLoopSettings.SweepMaxSteps : 1;
            for (var step = 0; step < steps; step++)
            {
                var rate = OpenLoopSettings.SweepRate(settings.Rate, step);
                try
                {
                    await using var system = await StartAsync(name, settings, limit.Token);
                    result.Description = system.Description;
                    var run = await OpenLoopFanout.RunAsync(system, settings, rate, limit.Token);
                    result.Runs.Add(run);
                    BenchLog.Info($"{name} at {rate:0.##} msg/s: {run.Received:N0} of {run.Expected:N0} delivered, {run.DeliveredPerSecond:N1}/s of {run.OfferedPerSecond:N1}/s offered, p99 {run.Latency.P99Ms} ms{(run.Saturated ? ", saturated" : string.Empty)}");
                    if (run.Saturated)
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (limit.IsCancellationRequested)
                {
                    result.Failure = $"stopped at {rate:0.##} msg/s by " + (cancellationToken.IsCancellationRequested ? "an interrupt" : $"the {timeout.TotalSeconds:0} s time limit");
                    report.Notes.Add($"{name}: {result.Failure}; the figures are partial.");
                    exitCode = 2;
                    break;
                }
                catch (Exception ex) when (ex is HttpRequestException or WebSocketException or TimeoutException or IOException or InvalidOperationException)
                {
                    result.Failure = $"failed at {rate:0.##} msg/s: {ex.GetType().Name}: {ex.Message}";
                    report.Notes.Add($"{name}: {result.Failure}");
                    exitCode = 1;
                    break;
                }
            }

            if (limit.IsCancellationRequested)
            {
                break;
            }
        }

        report.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
        ComparisonPrinter.Print(report);
        var path = jsonPath ?? ResultsPath.Default("fanout", report.StartedAt);
        await ComparisonJsonWriter.WriteAsync(report, path, CancellationToken.None);
        BenchLog.Info($"wrote {path}");
        BenchLog.Info($"wrote {FanoutLatencyPlot.Write(report, path)}");
        return exitCode;
    }

    private static async Task<IFanoutSystem> StartAsync(string name, OpenLoopSettings settings, CancellationToken cancellationToken) => name switch
    {
        Resonance => await ResonanceSystem.StartAsync(settings.Url, settings.Synchronous, cancellationToken),
        SignalR => await SignalRSystem.StartAsync(cancellationToken),
        Raw => await RawSystem.StartAsync(cancellationToken),
        _ => throw new ArgumentException($"Unknown system '{name}'.", nameof(name)),
    };
}
