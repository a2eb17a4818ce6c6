using System.CommandLine;
using Resonance.Bench.Comparison;
using Resonance.Bench.Connections;

namespace Resonance.Bench;

/// <summary>The scenarios that run Resonance beside the baselines, each server in a process of its own.</summary>
internal static class SideBySideCommands
{
    public static Command Connections()
    {
        var count = BenchCommand.Positive(new Option<int>("--count", "-n") { Description = "Idle connections per system.", DefaultValueFactory = _ => 1_000 });
        var workers = new Option<int?>("--workers", "-w") { Description = $"Client worker processes holding the connections (default: one per {ConnectionsSettings.ConnectionsPerWorker:N0})." };
        var idle = BenchCommand.Positive(new Option<int>("--idle") { Description = "Seconds the connections are held idle while the server's CPU is measured (Resonance's heartbeat is every 30 s).", DefaultValueFactory = _ => 30 });
        var warmup = BenchCommand.NotNegative(new Option<int>("--warmup") { Description = "Connections opened and closed first on each server.", DefaultValueFactory = _ => 100 });
        var against = new Option<string?>("--against") { Description = "Baselines to run after Resonance, comma-separated: signalr, raw.", DefaultValueFactory = _ => "signalr,raw" };
        var command = new Command("connections", "N authenticated idle connections per system: connect rate, server RSS and heap per connection, idle CPU.")
        {
            count, workers, idle, warmup, against,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(workers) is < 1)
            {
                result.AddError("--workers must be at least 1.");
            }

            ValidateBaselines(result, result.GetValue(against));
        });
        command.SetAction((parse, ct) =>
        {
            var common = BenchCommand.Common(parse);
            var n = parse.GetValue(count);
            var settings = new ConnectionsSettings(
                n,
                parse.GetValue(workers) ?? (int)Math.Ceiling(n / (double)ConnectionsSettings.ConnectionsPerWorker),
                TimeSpan.FromSeconds(parse.GetValue(idle)),
                parse.GetValue(warmup),
                Systems(parse.GetValue(against)),
                common.Synchronous);
            return ConnectionsScenario.RunAsync(settings, common.JsonPath, common.Timeout, ct);
        });
        return command;
    }

    private static string[] Systems(string? against) =>
        [FanoutComparison.Resonance, .. BenchCommand.Baselines(against).Distinct(StringComparer.Ordinal)];

    private static void ValidateBaselines(System.CommandLine.Parsing.CommandResult result, string? against)
    {
        foreach (var name in BenchCommand.Baselines(against))
        {
            if (!FanoutComparison.Baselines.Contains(name, StringComparer.Ordinal))
            {
                result.AddError($"--against takes {string.Join(", ", FanoutComparison.Baselines)}, not '{name}'.");
            }
        }
    }
}
