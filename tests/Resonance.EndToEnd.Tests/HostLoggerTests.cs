using Microsoft.Extensions.Logging;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>
/// Each host logs through a logger of its own. With Serilog's static logger, a category logger created after a
/// second host was built (here the socket endpoint's, made at the first connection) wrote to that second host's sinks.
/// </summary>
public sealed class HostLoggerTests
{
    [Fact]
    public async Task A_host_keeps_its_logs_when_another_host_was_built_after_it()
    {
        var (earlierLog, laterLog) = (new LogRecorder(), new LogRecorder());
        await using var earlier = await StandaloneServer.StartAsync(LogRecorder.EverythingSettings, configure: earlierLog.Install);
        await using var later = await StandaloneServer.StartAsync(LogRecorder.EverythingSettings, configure: laterLog.Install);

        var alice = Names.User("alice");
        await using (var socket = await TestSocket.ConnectAsync(earlier.WebSocketAddress, await earlier.GetTokenAsync(alice)))
        {
            // A pong comes after the connection is logged (the endpoint logs it before it reads commands).
            await socket.SendAsync(new Contracts.V1.WsPacket { Ping = new Contracts.V1.Ping() });
            await socket.ReceiveUntilAsync(Contracts.V1.WsPacket.BodyOneofCase.Pong);
        }

        Assert.Contains(earlierLog.Texts(), t => IsConnectedLine(t, alice));
        Assert.DoesNotContain(laterLog.Texts(), t => IsConnectedLine(t, alice));
    }

    [Fact]
    public async Task A_host_makes_one_logger_per_category_not_one_per_request()
    {
        // Serilog's factory made a new logger on every call, and each request's authentication handler asks for one.
        await using var server = await StandaloneServer.StartAsync();
        var factory = server.GetRequiredService<ILoggerFactory>();

        Assert.Same(factory.CreateLogger("Resonance.Some.Category"), factory.CreateLogger("Resonance.Some.Category"));
        Assert.NotSame(factory.CreateLogger("Resonance.Some.Category"), factory.CreateLogger("Resonance.Other.Category"));
    }

    private static bool IsConnectedLine(string text, string username) =>
        text.Contains($"{username}\" connected as", StringComparison.Ordinal);
}
