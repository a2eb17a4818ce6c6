namespace Resonance.Bench.Tests;

/// <summary>
/// A short <c>reconnect-storm</c> run: every client drops, messages are stored while they are away and during the
/// storm, and every client comes back, syncs, and has every one of its session's messages.
/// </summary>
public sealed class ReconnectStormSmokeTests
{
    [Fact]
    public async Task Every_client_comes_back_synced_with_no_message_lost()
    {
        using var report = await BenchRun.RunAsync("reconnect-storm", "--count", "100", "--group-size", "10", "--away-messages", "3", "--rate", "50", "--timeout", "240");
        Assert.Equal(["raw", "resonance", "signalr"], BenchRun.SystemNames(report));
        var resonance = BenchRun.System(report, "resonance");
        Assert.False(resonance.TryGetProperty("failure", out var failure), $"resonance: {failure}");
        Assert.Equal(
            (100, 10, 30L, 100L, 100, 0, 0L),
            (resonance.GetProperty("clients").GetInt32(), resonance.GetProperty("sessions").GetInt32(), resonance.GetProperty("storedWhileAway").GetInt64(),
                resonance.GetProperty("reconnected").GetInt64(), resonance.GetProperty("synced").GetInt32(), resonance.GetProperty("failed").GetInt32(), resonance.GetProperty("lost").GetInt64()));

        // One message before the drop, the ones while away, and the ones during the storm: seqs 1..last in each session.
        Assert.True(resonance.GetProperty("lastSeqPerSession").GetInt64() >= 4);
        Assert.Equal("no history to sync", BenchRun.System(report, "signalr").GetProperty("skipped").GetString());
        Assert.Equal("no history to sync", BenchRun.System(report, "raw").GetProperty("skipped").GetString());
    }
}
