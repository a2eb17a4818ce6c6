using System.CommandLine;
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
        var members = Positive(new Option<int>("--members", "-n") { Description = "Group members, the sender included.", DefaultValueFactory = _ => 1_000 });
        var connected = Positive(new Option<int>("--connected", "-c") { Description = "Members online (one connection each), the sender included.", DefaultValueFactory = _ => 1_000 });
        var messages = Positive(new Option<int>("--messages", "-m") { Description = "Messages measured, one at a time.", DefaultValueFactory = _ => 50 });
        var warmup = NotNegative(new Option<int>("--warmup") { Description = "Messages sent first, not measured.", DefaultValueFactory = _ => 5 });
        var size = Positive(new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 });
        var messageTimeout = Positive(new Option<int>("--message-timeout") { Description = "Seconds to wait for one message to reach everyone.", DefaultValueFactory = _ => 10 });
        var command = new Command("fanout", "One group of N members, C online: send → every recipient and send → last recipient.")
        {
            members, connected, messages, warmup, size, messageTimeout,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new FanoutSettings(
                parse.GetValue(members),
                parse.GetValue(connected),
                parse.GetValue(messages),
                parse.GetValue(warmup),
                parse.GetValue(size),
                TimeSpan.FromSeconds(parse.GetValue(messageTimeout)));
            return ScenarioRunner.RunAsync(command.Name, Common(parse), (target, report, token) => FanoutScenario.RunAsync(settings, target, report, token), ct);
        });
        return command;
    }

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

    private static CommonSettings Common(ParseResult parse) => new(
        parse.GetValue(Url),
        parse.GetValue(Synchronous) ?? "Full",
        parse.GetValue(Json),
        TimeSpan.FromSeconds(parse.GetValue(Timeout)));

    private static Option<int> Positive(Option<int> option)
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

    private static Option<int> NotNegative(Option<int> option)
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
