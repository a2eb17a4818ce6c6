using System.CommandLine;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Scenarios;

namespace Resonance.Bench;

/// <summary>The command line: one subcommand per scenario, shared options on the root.</summary>
internal static class BenchCommand
{
    private static readonly Option<Uri?> Url = new("--url")
    {
        Description = "A running server (e.g. http://localhost:8080) instead of the in-process standalone host.",
        Recursive = true,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            result.AddError($"--url must be an absolute http or https address, not '{text}'.");
            return null;
        },
    };

    private static readonly Option<string> Synchronous = new("--synchronous")
    {
        Description = "Storage:Synchronous of the in-process host: Full (fsync per commit, the server default) or Normal.",
        DefaultValueFactory = _ => "Full",
        Recursive = true,
    };

    private static readonly Option<string?> Json = new("--json")
    {
        Description = "Also write the results to this JSON file.",
        Recursive = true,
    };

    private static readonly Option<int> Timeout = Positive(new Option<int>("--timeout")
    {
        Description = "Hard limit on the whole run in seconds, setup included; the run stops and reports what it has.",
        DefaultValueFactory = _ => 180,
        Recursive = true,
    });

    public static RootCommand Build()
    {
        Synchronous.AcceptOnlyFromAmong("Full", "Normal");
        var root = new RootCommand("Resonance benchmarks: latency, throughput, group fan-out and connect storms over loopback.")
        {
            Url,
            Synchronous,
            Json,
            Timeout,
            LatencyCommand(),
            ThroughputCommand(),
            FanoutCommand(),
            ConnectStormCommand(),
            FloodCommand(),
            SideBySideCommands.Connections(),
            SideBySideCommands.Chat(),
            SideBySideCommands.ReconnectStorm(),
            SoakCommand.Build(),
            ChildCommands.Serve(),
            ChildCommands.ConnectWorker(),
        };
        return root;
    }

    private static Command LatencyCommand()
    {
        var messages = Positive(new Option<int>("--messages", "-m") { Description = "Messages measured.", DefaultValueFactory = _ => 2_000 });
        var warmup = NotNegative(new Option<int>("--warmup") { Description = "Messages sent first, not measured.", DefaultValueFactory = _ => 200 });
        var rate = new Option<double>("--rate") { Description = "Send at this many msg/s on a fixed schedule (open loop); 0 = one at a time.", DefaultValueFactory = _ => 0 };
        var size = Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var command = new Command("latency", "One sender, one receiver in a direct session: send → ack and send → push latency.") { messages, warmup, rate, size };
        command.SetAction((parse, ct) =>
        {
            var settings = new LatencySettings(parse.GetValue(messages), parse.GetValue(warmup), parse.GetValue(rate), parse.GetValue(size));
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => LatencyScenario.RunAsync(settings, target, report, token), ct);
        });
        return command;
    }

    private static Command ThroughputCommand()
    {
        var sessions = Positive(new Option<int>("--sessions", "-s") { Description = "Direct sessions (2 connections each).", DefaultValueFactory = _ => 50 });
        var senders = Positive(new Option<int>("--senders", "-k") { Description = "Concurrent senders, each with one send outstanding.", DefaultValueFactory = _ => 16 });
        var duration = Positive(new Option<int>("--duration", "-d") { Description = "Measured seconds.", DefaultValueFactory = _ => 15 });
        var warmup = NotNegative(new Option<int>("--warmup") { Description = "Seconds of sending before the measured window.", DefaultValueFactory = _ => 3 });
        var size = Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var command = new Command("throughput", "S direct sessions, K concurrent senders for D seconds: acked msg/s, delivered push/s, latency.")
        {
            sessions, senders, duration, warmup, size,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new ThroughputSettings(
                parse.GetValue(sessions),
                parse.GetValue(senders),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(warmup)),
                parse.GetValue(size));
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => ThroughputScenario.RunAsync(settings, target, report, token), ct);
        });
        return command;
    }

    private static Command FanoutCommand()
    {
        var members = new Option<int?>("--members", "-n") { Description = "Group members, the sender included (default 1000; with --rate 200, all online)." };
        var connected = Positive(new Option<int>("--connected", "-c") { Description = "Members online (one connection each), the sender included. Not with --rate.", DefaultValueFactory = _ => 1_000 });
        var messages = Positive(new Option<int>("--messages", "-m") { Description = "Messages measured, one at a time. Not with --rate.", DefaultValueFactory = _ => 50 });
        var warmup = new Option<int?>("--warmup") { Description = "Messages sent first, not measured (default 5; with --rate two seconds' worth, on the same schedule, delivered before the measured ones start)." };
        var size = Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var messageTimeout = Positive(new Option<int>("--message-timeout") { Description = "Seconds to wait for one message to reach everyone. Not with --rate.", DefaultValueFactory = _ => 10 });
        var rate = new Option<double>("--rate", "-r") { Description = "Open loop: send this many msg/s on a fixed schedule, timed from the scheduled send; with --sweep the first rate. 0: one message at a time (closed loop).", DefaultValueFactory = _ => 0 };
        var duration = Positive(new Option<int>("--duration", "-d") { Description = "With --rate: measured seconds of sending per run.", DefaultValueFactory = _ => 10 });
        var against = new Option<string?>("--against") { Description = "With --rate: baselines to run after Resonance, comma-separated: signalr, raw (each on a fresh in-process server)." };
        var sweep = new Option<bool>("--sweep") { Description = "With --rate: raise the rate ×1.5 per run until each system saturates (delivered < 95 % of offered, or p99 > 1 s)." };
        var command = new Command("fanout", "One group of N members, C online: send → every recipient and send → last recipient; with --rate, open loop beside the baselines.")
        {
            members, connected, messages, warmup, size, messageTimeout, rate, duration, against, sweep,
        };
        command.Validators.Add(result =>
        {
            var openLoop = result.GetValue(rate) > 0;
            if (result.GetValue(rate) < 0)
            {
                result.AddError("--rate must not be negative.");
            }

            if (result.GetValue(members) is < 2)
            {
                result.AddError("--members must be at least 2.");
            }

            if (result.GetValue(warmup) is < 0)
            {
                result.AddError("--warmup must not be negative.");
            }

            foreach (var closedOnly in new Option[] { connected, messages, messageTimeout })
            {
                if (openLoop && result.GetResult(closedOnly) is { Implicit: false })
                {
                    result.AddError($"{closedOnly.Name} is for the closed-loop run; with --rate every member is online and --duration sets the length.");
                }
            }

            foreach (var openOnly in new Option[] { duration, against, sweep })
            {
                if (!openLoop && result.GetResult(openOnly) is { Implicit: false })
                {
                    result.AddError($"{openOnly.Name} needs --rate (the open-loop comparison).");
                }
            }

            foreach (var name in Baselines(result.GetValue(against)))
            {
                if (!FanoutComparison.Baselines.Contains(name, StringComparer.Ordinal))
                {
                    result.AddError($"--against takes {string.Join(", ", FanoutComparison.Baselines)}, not '{name}'.");
                }
            }
        });
        command.SetAction((parse, ct) =>
        {
            if (parse.GetValue(rate) > 0)
            {
                return RunOpenLoopFanoutAsync(parse, ct);
            }

            var settings = new FanoutSettings(
                parse.GetValue(members) ?? 1_000,
                parse.GetValue(connected),
                parse.GetValue(messages),
                parse.GetValue(warmup) ?? 5,
                parse.GetValue(size),
                TimeSpan.FromSeconds(parse.GetValue(messageTimeout)));
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => FanoutScenario.RunAsync(settings, target, report, token), ct);
        });

        Task<int> RunOpenLoopFanoutAsync(ParseResult parse, CancellationToken ct)
        {
            var common = Common(parse);
            var settings = new OpenLoopSettings(
                parse.GetValue(members) ?? 200,
                parse.GetValue(rate),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                parse.GetValue(warmup),
                parse.GetValue(size),
                [FanoutComparison.Resonance, .. Baselines(parse.GetValue(against)).Distinct(StringComparer.Ordinal)],
                parse.GetValue(sweep),
                common.Url,
                common.Synchronous);

            // Every baseline runs in this process, so both ends of each socket count against its open-file limit.
            var budget = ConnectionBudget.Max(serverInProcess: true);
            if (settings.Members > budget)
            {
                Console.Error.WriteLine($"--members {settings.Members} is over this process's connection budget of {budget}.");
                return Task.FromResult(1);
            }

            return FanoutComparison.RunAsync(settings, common.JsonPath, common.Timeout, ct);
        }

        return command;
    }

    internal static string[] Baselines(string? against) =>
        (against ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Command ConnectStormCommand()
    {
        var users = Positive(new Option<int>("--users", "-u") { Description = "Users connecting at once.", DefaultValueFactory = _ => 1_000 });
        var warmup = NotNegative(new Option<int>("--warmup") { Description = "Other users connected and closed first (4 at a time) to warm the server up.", DefaultValueFactory = _ => 40 });
        var command = new Command("connect-storm", "U users connect at once: time to welcome and until all are connected and routed.") { users, warmup };
        command.SetAction((parse, ct) =>
        {
            var settings = new ConnectStormSettings(parse.GetValue(users), parse.GetValue(warmup));
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => ConnectStormScenario.RunAsync(settings, target, report, token), ct);
        });
        return command;
    }

    private static Command FloodCommand()
    {
        var pairs = Positive(new Option<int>("--pairs", "-p") { Description = "Well-behaved senders, each in its own direct session (at most 40: the default limits allow 100 anonymous token requests at once).", DefaultValueFactory = _ => 20 });
        var rate = new Option<double>("--rate", "-r") { Description = "Messages per second per well-behaved sender, on a fixed schedule.", DefaultValueFactory = _ => 5 };
        var duration = Positive(new Option<int>("--duration", "-d") { Description = "Seconds of each phase: alone, then beside the flood.", DefaultValueFactory = _ => 10 });
        var floodSends = Positive(new Option<int>("--flood-sends") { Description = "Sends the flooding client keeps in flight.", DefaultValueFactory = _ => 32 });
        var size = Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var limits = new Option<string>("--limits") { Description = "The in-process host's abuse limits: on (its defaults) or off.", DefaultValueFactory = _ => "on" };
        limits.AcceptOnlyFromAmong("on", "off");
        var command = new Command("flood", "What one flooding client does to everyone else's send → ack latency (p99 beside the flood ÷ p99 alone).")
        {
            pairs, rate, duration, floodSends, size, limits,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(rate) is { Implicit: false } && result.GetValue(rate) <= 0)
            {
                result.AddError("--rate must be positive.");
            }

            if (result.GetValue(pairs) > 40)
            {
                result.AddError("--pairs must be at most 40.");
            }
        });
        command.SetAction((parse, ct) =>
        {
            var settings = new FloodSettings(
                parse.GetValue(pairs),
                parse.GetValue(rate),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                parse.GetValue(floodSends),
                parse.GetValue(size),
                parse.GetValue(limits) == "on");
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => FloodScenario.RunAsync(settings, target, report, token), ct, settings.Limits);
        });
        return command;
    }

    internal static CommonSettings Common(ParseResult parse) => new(
        parse.GetValue(Url),
        parse.GetValue(Synchronous) ?? "Full",
        parse.GetValue(Json),
        TimeSpan.FromSeconds(parse.GetValue(Timeout)));

    internal static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"{option.Name} must be positive.");
            }
        });
        return option;
    }

    internal static Option<int> NotNegative(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError($"{option.Name} must not be negative.");
            }
        });
        return option;
    }
}
