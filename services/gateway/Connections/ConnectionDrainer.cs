using System.Net.WebSockets;
using Microsoft.Extensions.Hosting;

namespace Resonance.Gateway.Connections;

/// <summary>
/// When the host starts stopping, tells every client to reconnect (close code 1001) after the
/// frames already queued for it and the answer to its command in flight, so a rolling restart
/// loses nothing a client cannot sync, and no stored send goes unacked.
/// </summary>
public sealed class ConnectionDrainer(ConnectionRegistry registry, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private void CloseAll()
    {
        foreach (var connection in registry.All)
        {
            connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect", drain: true);
        }
    }
}
