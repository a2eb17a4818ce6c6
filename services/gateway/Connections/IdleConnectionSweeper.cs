using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resonance.Contracts;

namespace Resonance.Gateway.Connections;

/// <summary>Closes connections that sent nothing for <see cref="GatewayOptions.IdleTimeout"/> (close code 4101).</summary>
public sealed class IdleConnectionSweeper(
    ConnectionRegistry registry,
    GatewayCounters counters,
    IOptions<GatewayOptions> options,
    TimeProvider time) : BackgroundService
{
    private readonly TimeSpan _idleTimeout = options.Value.IdleTimeout;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Checking four times per timeout closes an idle connection within 1.25 timeouts.
        using var timer = new PeriodicTimer(_idleTimeout / 4, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal void Sweep()
    {
        foreach (var connection in registry.All)
        {
            if (!connection.IsClosing && connection.IdleFor > _idleTimeout)
            {
                counters.IdleClosed();
                connection.Close((WebSocketCloseStatus)CloseCodes.IdleTimeout, $"idle for more than {_idleTimeout.TotalSeconds:0.###} s; send pings", drain: true);
            }
        }
    }
}
