using System.Diagnostics;
using System.Text.Json.Nodes;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;
using Resonance.Bench.Servers;

namespace Resonance.Bench.Connections;

/// <summary>
/// <c>connections</c>: N idle client connections to each system, the server in a process of its own and the
/// clients in worker processes. Connect rate; the server's RSS and managed heap per connection (after − before,
/// each after a full collection, ÷ N); its CPU while the connections idle with their heartbeats.
/// </summary>
internal static class ConnectionsScenario
{
    private static readonly SideBySideColumn[] Columns =
    [
        new("connected", "connected"),
        new("held after idle", "heldAfterIdle"),
        new("failed", "failed"),
        new("conn/s", "connectsPerSecond"),
        new("connect p99 ms", "connectMs.p99"),
        new("RSS before MB", "rss.beforeMB"),
        new("RSS after MB", "rss.afterMB"),
        new("RSS/conn KB", "rss.perConnectionKB"),
        new("heap/conn KB", "managedHeap.perConnectionKB"),
        new("idle CPU % core", "idleCpu.percentOfOneCore"),
        new("conns in 16 GB", "projection.connectionsIn16GB"),
        new("×raw RSS/conn", "vsRaw.rss/perConnectionKB"),
        new("×raw heap/conn", "vsRaw.managedHeap/perConnectionKB"),
        new("×raw idle CPU", "vsRaw.idleCpu/percentOfOneCore"),
    ];

    public static async Task<int> RunAsync(ConnectionsSettings settings, string? jsonPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var report = new SideBySideReport("connections");
        report.Parameter("connections per system", settings.Count);
        report.Parameter("client worker processes", settings.Workers);
        report.Parameter("idle seconds (CPU measured)", settings.Idle.TotalSeconds);
        report.Parameter("warmup connections", settings.Warmup);
        report.Parameter("systems", new JsonArray([.. settings.Systems.Select(s => (JsonNode?)s)]));
        report.Parameter("resonance Storage:Synchronous", settings.Synchronous);
        report.Parameter("servers", "each in a process of its own (this tool's hidden `serve` command, same build and GC settings), one after another");
        report.Parameter("accepted means", "resonance: welcome after the token check, heartbeat at the welcome's interval; signalr: JSON hub handshake answered, pings every 10 s; raw: registration frame");
        report.Parameter("memory", "RSS: VmRSS of /proc/<pid>/status; heap: GC.GetTotalMemory after a forced compacting gen-2 collection in the server; both read after the idle period");

        var exitCode = 0;
        foreach (var system in settings.Systems)
        {
            var figures = report.System(system);
            try
            {
                await RunSystemAsync(system, settings, figures, limit.Token);
                if ((int?)figures["heldAfterIdle"] != settings.Count)
                {
                    exitCode = Math.Max(exitCode, 1);
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                figures["failure"] = cancellationToken.IsCancellationRequested ? "interrupted" : $"stopped by the {timeout.TotalSeconds:0} s time limit";
                report.Notes.Add($"{system}: {figures["failure"]}; the figures are partial.");
                exitCode = 2;
                break;
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException or System.ComponentModel.Win32Exception)
            {
                figures["failure"] = $"{ex.GetType().Name}: {ex.Message}";
                report.Notes.Add($"{system}: {figures["failure"]}");
                exitCode = 1;
            }
        }

        report.AddRatiosToBaseline(["rss.perConnectionKB", "managedHeap.perConnectionKB", "idleCpu.percentOfOneCore", "connectsPerSecond"]);
        report.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
        SideBySidePrinter.Print(report, "connections: idle connections held per server", Columns);
        var path = await SideBySideJsonWriter.WriteAsync(report, jsonPath, CancellationToken.None);
        BenchLog.Info($"wrote {path}");
        return exitCode;
    }

    private static async Task RunSystemAsync(string system, ConnectionsSettings settings, JsonObject figures, CancellationToken cancellationToken)
    {
        BenchLog.Info($"{system}: starting its server process");
        await using var server = await ServerProcess.StartAsync(system, settings.Synchronous, cancellationToken);
        figures["serverPid"] = server.Pid;
        var names = new RunNames();
        if (settings.Warmup > 0)
        {
            BenchLog.Info($"{system}: warming up with {settings.Warmup} connections");
            await using var warm = await WorkerGroup.StartAsync(system, server.BaseAddress, names.Prefix + "-warm", settings.Warmup, 1, cancellationToken);
            await warm.ConnectAsync(_ => { }, cancellationToken);
            await warm.CloseAsync(cancellationToken);
        }

        var before = await server.MeasureAsync(cancellationToken);
        BenchLog.Info($"{system}: {settings.Count:N0} users over {settings.Workers} worker processes (tokens first)");
        await using var workers = await WorkerGroup.StartAsync(system, server.BaseAddress, names.Prefix, settings.Count, settings.Workers, cancellationToken);
        var connect = await ProgressDisplay.RunAsync($"{system}: connecting", settings.Count,
            report => workers.ConnectAsync(n => report(n), cancellationToken));
        figures["connected"] = connect.Connected;
        figures["failed"] = connect.Failed;
        figures["connectSeconds"] = Math.Round(connect.Elapsed.TotalSeconds, 3);
        figures["connectsPerSecond"] = Math.Round(connect.Connected / connect.Elapsed.TotalSeconds, 1);
        figures["connectMs"] = new JsonObject { ["p50"] = connect.ConnectP50Ms, ["p99"] = connect.ConnectP99Ms, ["max"] = connect.ConnectMaxMs, ["of"] = "the worst worker's" };
        if (connect.Errors.Count > 0)
        {
            figures["errors"] = new JsonArray([.. connect.Errors.Select(e => (JsonNode?)e)]);
        }

        var cpuBefore = server.CpuTime();
        var idleStarted = Stopwatch.GetTimestamp();
        await ProgressDisplay.RunAsync($"{system}: idle", settings.Idle.TotalSeconds, async report =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            while (Stopwatch.GetElapsedTime(idleStarted) < settings.Idle && await tick.WaitForNextTickAsync(cancellationToken))
            {
                report(Stopwatch.GetElapsedTime(idleStarted).TotalSeconds);
            }

            return 0;
        });
        var idleSeconds = Stopwatch.GetElapsedTime(idleStarted).TotalSeconds;
        var cpu = server.CpuTime() - cpuBefore;
        var after = await server.MeasureAsync(cancellationToken);
        figures["heldAfterIdle"] = await workers.CloseAsync(cancellationToken);

        var perConnection = Math.Max(1, connect.Connected);
        var rssPerConnection = (double)(after.ResidentBytes - before.ResidentBytes) / perConnection;
        figures["rss"] = new JsonObject
        {
            ["beforeBytes"] = before.ResidentBytes,
            ["afterBytes"] = after.ResidentBytes,
            ["beforeMB"] = Math.Round(before.ResidentBytes / 1048576.0, 1),
            ["afterMB"] = Math.Round(after.ResidentBytes / 1048576.0, 1),
            ["perConnectionBytes"] = Math.Round(rssPerConnection),
            ["perConnectionKB"] = Math.Round(rssPerConnection / 1024, 2),
        };
        var heapPerConnection = (double)(after.Managed.LiveBytes - before.Managed.LiveBytes) / perConnection;
        figures["managedHeap"] = new JsonObject
        {
            ["liveBeforeBytes"] = before.Managed.LiveBytes,
            ["liveAfterBytes"] = after.Managed.LiveBytes,
            ["committedBeforeBytes"] = before.Managed.CommittedBytes,
            ["committedAfterBytes"] = after.Managed.CommittedBytes,
            ["perConnectionBytes"] = Math.Round(heapPerConnection),
            ["perConnectionKB"] = Math.Round(heapPerConnection / 1024, 2),
        };
        figures["idleCpu"] = new JsonObject
        {
            ["seconds"] = Math.Round(idleSeconds, 2),
            ["cpuSeconds"] = Math.Round(cpu.TotalSeconds, 3),
            ["percentOfOneCore"] = Math.Round(100 * cpu.TotalSeconds / idleSeconds, 2),
        };
        figures["projection"] = new JsonObject
        {
            ["connectionsIn16GB"] = rssPerConnection > 0 ? Math.Floor((ConnectionsSettings.NodeBytes - before.ResidentBytes) / rssPerConnection) : null,
            ["how"] = "(16 GiB − RSS before) ÷ RSS per connection: memory only, one gateway process, nothing else on the node",
        };
        BenchLog.Info($"{system}: {connect.Connected:N0} connected in {connect.Elapsed.TotalSeconds:0.0} s, RSS {rssPerConnection / 1024:0.0} KB/conn, heap {heapPerConnection / 1024:0.0} KB/conn, idle CPU {100 * cpu.TotalSeconds / idleSeconds:0.0} %");
    }
}
