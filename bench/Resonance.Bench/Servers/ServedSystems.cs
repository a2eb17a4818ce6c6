using Resonance.Bench.Baselines;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Servers;

/// <summary>The three servers a child process can be (<c>serve --system …</c>), started on a free loopback port.</summary>
internal static class ServedSystems
{
    public static readonly string[] Names = [FanoutComparison.Resonance, FanoutComparison.SignalR, FanoutComparison.Raw];

    /// <summary>Starts <paramref name="system"/>; returns its base address and what stops it.</summary>
    public static async Task<(Uri BaseAddress, IAsyncDisposable Server)> StartAsync(string system, string synchronous, CancellationToken cancellationToken)
    {
        switch (system)
        {
            case FanoutComparison.Resonance:
                var target = await BenchTarget.StartInProcessAsync(synchronous, cancellationToken);
                return (target.BaseAddress, target);
            case FanoutComparison.SignalR:
                var hub = await SignalRBroadcastServer.StartAsync(cancellationToken);
                return (hub.BaseAddress, hub);
            case FanoutComparison.Raw:
                var raw = await RawBroadcastServer.StartAsync(cancellationToken);
                return (raw.BaseAddress, raw);
            default:
                throw new ArgumentException($"Unknown system '{system}'.", nameof(system));
        }
    }
}
