namespace Resonance.Bench.Tests;

/// <summary>
/// A short <c>connections</c> run over two worker processes: each server, in its own process, accepts and holds
/// every connection through the idle period. Counts only; the memory and CPU figures are for bench/.
/// </summary>
public sealed class ConnectionsSmokeTests
{
    [Fact]
    public async Task Every_system_holds_every_connection_through_the_idle_period()
    {
        using var report = await BenchRun.RunAsync("connections", "--count", "150", "--workers", "2", "--idle", "1", "--warmup", "10", "--timeout", "240");
        Assert.Equal(["raw", "resonance", "signalr"], BenchRun.SystemNames(report));
        foreach (var name in BenchRun.SystemNames(report))
        {
            var system = BenchRun.System(report, name);
            Assert.False(system.TryGetProperty("failure", out var failure), $"{name}: {failure}");
            Assert.Equal((150, 150, 0), (system.GetProperty("connected").GetInt32(), system.GetProperty("heldAfterIdle").GetInt32(), system.GetProperty("failed").GetInt32()));
            Assert.True(system.GetProperty("rss").GetProperty("afterBytes").GetInt64() > 0, $"{name}: no RSS read");
            Assert.True(system.GetProperty("managedHeap").GetProperty("liveAfterBytes").GetInt64() > 0, $"{name}: no heap reported");
        }
    }
}
