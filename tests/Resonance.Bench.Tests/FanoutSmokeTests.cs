using System.Text.Json;

namespace Resonance.Bench.Tests;

/// <summary>
/// A short run of the fan-out comparison, started with the README's command: every system delivers every
/// message to every recipient exactly once. Counts only; how fast is for bench/, never for a test.
/// </summary>
public sealed class FanoutSmokeTests
{
    [Fact]
    public async Task Resonance_SignalR_and_raw_each_deliver_every_message_once_to_every_recipient()
    {
        using var report = await BenchRun.RunAsync("fanout", "--members", "20", "--rate", "20", "--duration", "3", "--against", "signalr,raw", "--timeout", "240");
        Assert.Equal(["raw", "resonance", "signalr"], BenchRun.SystemNames(report));
        foreach (var system in report.RootElement.GetProperty("systems").EnumerateObject())
        {
            var run = system.Value;
            Assert.True(run.GetProperty("failure").ValueKind == JsonValueKind.Null, $"{system.Name}: {run.GetProperty("failure")}");
            Assert.Equal(19, run.GetProperty("recipients").GetInt32());
            var expected = run.GetProperty("expected").GetInt64();
            Assert.Equal(run.GetProperty("messagesSent").GetInt64() * 19, expected);
            Assert.True(expected > 0, $"{system.Name} sent nothing");
            Assert.Equal(expected, run.GetProperty("received").GetInt64());
            Assert.Equal((0L, 0L, 0L), (run.GetProperty("lost").GetInt64(), run.GetProperty("duplicates").GetInt64(), run.GetProperty("strays").GetInt64()));
        }
    }
}
