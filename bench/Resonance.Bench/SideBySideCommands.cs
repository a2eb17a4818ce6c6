using System.CommandLine;
using Resonance.Bench.Chat;
using Resonance.Bench.Comparison;
using Resonance.Bench.Connections;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.ReconnectStorm;

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

    public static Command Chat()
    {
        var pairs = BenchCommand.Positive(new Option<int>("--pairs", "-p") { Description = "1:1 conversations (two connections each).", DefaultValueFactory = _ => 100 });
        var rate = new Option<double>("--rate", "-r") { Description = "Messages per second over all pairs, on a fixed schedule.", DefaultValueFactory = _ => 500 };
        var duration = BenchCommand.Positive(new Option<int>("--duration", "-d") { Description = "Measured seconds of sending.", DefaultValueFactory = _ => 10 });
        var size = BenchCommand.Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var against = new Option<string?>("--against") { Description = "Relays to run after Resonance for reference: signalr (raw has no 1:1 routing).", DefaultValueFactory = _ => "signalr" };
        var command = new Command("chat", "P 1:1 conversations, open loop through the whole pipeline: msg/s, send → ack and send → delivery, losses.")
        {
            pairs, rate, duration, size, against,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(rate) <= 0)
            {
                result.AddError("--rate must be positive.");
            }

            foreach (var name in BenchCommand.Baselines(result.GetValue(against)))
            {
                if (name != FanoutComparison.SignalR)
                {
                    result.AddError($"--against takes signalr only (raw broadcasts to everyone), not '{name}'.");
                }
            }
        });
        command.SetAction((parse, ct) =>
        {
            var common = BenchCommand.Common(parse);
            var settings = new ChatSettings(
                parse.GetValue(pairs),
                parse.GetValue(rate),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                parse.GetValue(size),
                Systems(parse.GetValue(against)),
                common.Synchronous);
            return ChatScenario.RunAsync(settings, common.JsonPath, common.Timeout, ct);
        });
        return command;
    }

    public static Command ReconnectStorm()
    {
        var count = BenchCommand.Positive(new Option<int>("--count", "-n") { Description = "Clients that drop and reconnect at once.", DefaultValueFactory = _ => 1_000 });
        var groupSize = BenchCommand.Positive(new Option<int>("--group-size") { Description = "Clients per group session (the writer is in each too).", DefaultValueFactory = _ => 10 });
        var away = BenchCommand.NotNegative(new Option<int>("--away-messages") { Description = "Messages stored in each session while the clients are away.", DefaultValueFactory = _ => 5 });
        var rate = new Option<double>("--rate", "-r") { Description = "Messages per second the writer keeps storing during the storm (0: none).", DefaultValueFactory = _ => 200 };
        var command = new Command("reconnect-storm", "N clients drop at once and reconnect at once, syncing from their last seq: time until all are back, messages lost (must be 0).")
        {
            count, groupSize, away, rate,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(rate) < 0)
            {
                result.AddError("--rate must not be negative.");
            }

            if (result.GetValue(count) > ConnectionBudget.Max(serverInProcess: false))
            {
                result.AddError($"--count is over this process's connection budget of {ConnectionBudget.Max(serverInProcess: false)}.");
            }
        });
        command.SetAction((parse, ct) =>
        {
            var common = BenchCommand.Common(parse);
            var settings = new ReconnectStormSettings(parse.GetValue(count), parse.GetValue(groupSize), parse.GetValue(away), parse.GetValue(rate), common.Synchronous);
            return ReconnectStormScenario.RunAsync(settings, common.JsonPath, common.Timeout, ct);
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
