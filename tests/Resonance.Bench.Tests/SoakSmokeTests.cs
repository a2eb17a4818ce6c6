namespace Resonance.Bench.Tests;

/// <summary>
/// A short soak with the README's command shape: the server runs in its own process, every scheduled send is
/// acked and every acked message reaches every receiver once. Counts only; whether memory stays flat needs the
/// 30-minute run, never a test.
/// </summary>
public sealed class SoakSmokeTests
{
    [Fact]
    public async Task Short_soak_acks_every_scheduled_send_and_pushes_each_to_every_receiver_once()
    {
        // 10 senders at 4 msg/s each for 15 s: 60 each; the group 2 msg/s: 30, to 4 receivers; churn 2/s: 30.
        using var report = await BenchRun.RunAsync(
            "soak", "--pairs", "10", "--chat-rate", "40", "--group", "5", "--fanout-rate", "2", "--churn", "2",
            "--duration", "15", "--warmup", "5", "--sample", "1");
        var metrics = report.RootElement.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble(), StringComparer.Ordinal);
        Assert.Equal(600, metrics["chat messages acked"]);
        Assert.Equal(30, metrics["group messages acked"]);
        Assert.Equal(0, metrics["sends failed"]);
        Assert.Equal(600 + (30 * 4), metrics["pushes expected (acked × receivers)"]);
        Assert.Equal(600 + (30 * 4), metrics["pushes received"]);
        Assert.Equal((0d, 0d, 0d), (metrics["lost (acked, never pushed)"], metrics["duplicates"], metrics["pushes of sends whose ack was not seen"]));
        Assert.Equal((30d, 0d), (metrics["churn connections welcomed"], metrics["churn connections failed"]));
        Assert.True(metrics["memory samples after warmup"] >= 2, $"{metrics["memory samples after warmup"]} samples after the warmup");
        Assert.True(metrics["RSS first (median of first tenth after warmup)"] > 0, "no RSS read from /proc");
        Assert.True(metrics["managed heap first"] > 0, "no managed heap read from the stats endpoint");
    }
}
