using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Routing;

namespace Resonance.Gateway.Tests;

/// <summary>A route store that records each write and can be told to fail.</summary>
internal sealed class RecordingRouteStore : IRouteStore
{
    public ConcurrentQueue<IReadOnlyList<RouteChange>> Writes { get; } = new();

    /// <summary>The (fake) time of each write, in order.</summary>
    public ConcurrentQueue<DateTimeOffset> WrittenAt { get; } = new();

    public TimeProvider? Clock { get; set; }

    public int FailuresLeft { get; set; }

    public Task ApplyAsync(IReadOnlyList<RouteChange> changes, CancellationToken cancellationToken)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new HttpRequestException("route store unavailable");
        }

        Writes.Enqueue([.. changes]);
        WrittenAt.Enqueue(Clock?.GetUtcNow() ?? default);
        return Task.CompletedTask;
    }
}

internal sealed class GatewayHarness
{
    public GatewayHarness(GatewayOptions? options = null)
    {
        Options = options ?? new GatewayOptions();
        Routes = new RouteReporter(Store, Microsoft.Extensions.Options.Options.Create(Options), Counters, Time, NullLogger<RouteReporter>.Instance);
        Registry = new ConnectionRegistry(Routes);
        Store.Clock = Time;
    }

    public GatewayOptions Options { get; }

    public FakeTimeProvider Time { get; } = new();

    public GatewayCounters Counters { get; } = new();

    public RecordingRouteStore Store { get; } = new();

    public RouteReporter Routes { get; }

    public ConnectionRegistry Registry { get; }

    /// <summary>A registered connection with no socket: what is queued to it stays in its queue for the test to read.</summary>
    public ClientConnection Connect(string username, FrameEncoding encoding = FrameEncoding.Protobuf)
    {
        var connection = new ClientConnection(Guid.NewGuid().ToString("N"), username, encoding, socket: null, Options, Counters, Time);
        _ = Registry.Add(connection);
        return connection;
    }

    /// <summary>Moves the fake clock on in 10 ms steps, letting the reporter's loop run between them, until the condition holds.</summary>
    public async Task StepUntilAsync(Func<bool> condition, string what)
    {
        for (var step = 0; step < 3000; step++)
        {
            if (condition())
            {
                return;
            }

            Time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }

        throw new TimeoutException($"Timed out waiting until {what}.");
    }

    public static List<ReadOnlyMemory<byte>> Drain(ClientConnection connection)
    {
        var frames = new List<ReadOnlyMemory<byte>>();
        while (connection.TryTakeQueued(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
