using System.CommandLine;
using System.Globalization;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Servers;

namespace Resonance.Bench.Scenarios;

/// <summary>
/// The <c>soak</c> subcommand. It starts the standalone host in a process of its own (to read that process's
/// memory), so it refuses <c>--url</c>; without <c>--json</c> it writes <c>bench/results/soak-&lt;utc&gt;.json</c>.
/// Exit code 3 when an acked message was lost or pushed twice.
/// </summary>
internal static class SoakCommand
{
    public static Command Build()
    {
        var pairs = new Option<int>("--pairs", "-p") { Description = "Direct sessions with steady chat (a sender and a receiver each).", DefaultValueFactory = _ => 100 };
        var chatRate = new Option<double>("--chat-rate") { Description = "Chat messages per second over all direct sessions.", DefaultValueFactory = _ => 40 };
        var group = new Option<int>("--group", "-g") { Description = "Members of the fan-out group (its sender plus chat receivers); at most --pairs + 1.", DefaultValueFactory = _ => 50 };
        var fanoutRate = new Option<double>("--fanout-rate") { Description = "Group messages per second.", DefaultValueFactory = _ => 2 };
        var churn = new Option<double>("--churn") { Description = "Extra connections a second that connect and close; 0 for none.", DefaultValueFactory = _ => 2 };
        var duration = new Option<int>("--duration", "-d") { Description = "Seconds of traffic, warmup included.", DefaultValueFactory = _ => 1_800 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds at the start whose memory samples are not compared.", DefaultValueFactory = _ => 300 };
        var sample = new Option<double>("--sample") { Description = "Seconds between memory samples of the server process.", DefaultValueFactory = _ => 10 };
        var size = new Option<int>("--size") { Description = "Content length in characters.", DefaultValueFactory = _ => 64 };
        var command = new Command("soak", "Chat, fan-out and connection churn for D seconds against the standalone host in its own process: is its memory flat, is anything lost?")
        {
            pairs, chatRate, group, fanoutRate, churn, duration, warmup, sample, size,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (Invalid(parse) is { } error)
            {
                await Console.Error.WriteLineAsync(error);
                return 1;
            }

            var settings = new SoakSettings(
                parse.GetValue(pairs),
                parse.GetValue(chatRate),
                parse.GetValue(group),
                parse.GetValue(fanoutRate),
                parse.GetValue(churn),
                TimeSpan.FromSeconds(parse.GetValue(duration)),
                TimeSpan.FromSeconds(parse.GetValue(warmup)),
                TimeSpan.FromSeconds(parse.GetValue(sample)),
                parse.GetValue(size));
            var synchronous = parse.GetValue<string>("--synchronous") ?? "Full";
            var json = parse.GetValue<string?>("--json")
                ?? Path.Combine("bench", "results", string.Create(CultureInfo.InvariantCulture, $"soak-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.json"));

            // The run is as long as asked, plus room for set-up and the final drain.
            var timeout = TimeSpan.FromSeconds(Math.Max(parse.GetValue<int>("--timeout"), settings.Duration.TotalSeconds + 180));

            BenchLog.Info($"soak: starting the standalone host in its own process (Storage:Synchronous={synchronous})");
            await using var server = await ServerProcess.StartAsync(FanoutComparison.Resonance, synchronous, ct);
            var outcome = new SoakOutcome();
            var exitCode = await ScenarioRunner.RunAsync(
                command.Name,
                new CommonSettings(server.BaseAddress, synchronous, json, timeout),
                (target, report, token) => SoakScenario.RunAsync(settings, server, target, report, outcome, token),
                ct);
            return exitCode != 0 ? exitCode : outcome.Lost > 0 || outcome.Duplicates > 0 || !outcome.Completed ? 3 : 0;
        });
        return command;

        // Checked here, on the parsed values: a command validator does not see the defaults of options not given.
        string? Invalid(ParseResult parse)
        {
            if (parse.GetValue(pairs) < 1 || parse.GetValue(duration) < 1 || parse.GetValue(size) < 1 || parse.GetValue(chatRate) <= 0 || parse.GetValue(fanoutRate) <= 0 || parse.GetValue(sample) <= 0)
            {
                return "--pairs, --duration, --size, --chat-rate, --fanout-rate and --sample must be positive.";
            }

            if (parse.GetValue(group) < 2 || parse.GetValue(group) > parse.GetValue(pairs) + 1)
            {
                return "--group must be between 2 and --pairs + 1.";
            }

            if (parse.GetValue(churn) < 0 || parse.GetValue(warmup) < 0 || parse.GetValue(warmup) >= parse.GetValue(duration))
            {
                return "--churn must not be negative; --warmup must be at least 0 and less than --duration.";
            }

            return parse.GetValue<Uri?>("--url") is not null ? "soak starts the server in its own process to read its memory: it takes no --url." : null;
        }
    }
}
