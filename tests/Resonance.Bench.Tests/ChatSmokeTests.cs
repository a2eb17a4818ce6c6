namespace Resonance.Bench.Tests;

/// <summary>A short <c>chat</c> run: every message acked once and delivered once to the other member, on Resonance and the SignalR relay.</summary>
public sealed class ChatSmokeTests
{
    [Fact]
    public async Task Every_message_is_acked_and_delivered_once_to_the_other_member()
    {
        using var report = await BenchRun.RunAsync("chat", "--pairs", "10", "--rate", "100", "--duration", "2", "--timeout", "240");
        Assert.Equal(["resonance", "signalr"], BenchRun.SystemNames(report));
        foreach (var name in BenchRun.SystemNames(report))
        {
            var system = BenchRun.System(report, name);
            Assert.False(system.TryGetProperty("failure", out var failure), $"{name}: {failure}");
            Assert.Equal(
                (200, 200, 200, 0L, 0, 0L, 0L),
                (system.GetProperty("sent").GetInt32(), system.GetProperty("acked").GetInt32(), system.GetProperty("delivered").GetInt32(),
                    system.GetProperty("lost").GetInt64(), system.GetProperty("unacked").GetInt32(), system.GetProperty("duplicates").GetInt64(), system.GetProperty("strays").GetInt64()));
        }

        Assert.True(BenchRun.System(report, "resonance").GetProperty("durable").GetBoolean());
        Assert.False(BenchRun.System(report, "signalr").GetProperty("durable").GetBoolean());
    }
}
