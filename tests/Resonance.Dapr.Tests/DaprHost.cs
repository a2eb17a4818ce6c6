using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Resonance.FakeDapr;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests;

/// <summary>One app instance of the cluster and its sidecar.</summary>
internal sealed class DaprHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _disposed;
    private bool _appStopped;

    public DaprHost(string appId, WebApplication app, FakeSidecar sidecar, Uri baseAddress)
    {
        AppId = appId;
        _app = app;
        Sidecar = sidecar;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = BaseAddress };
        Rest = new GatewayRest(Http);
    }

    public string AppId { get; }

    public FakeSidecar Sidecar { get; }

    public Uri BaseAddress { get; }

    public Uri WebSocketAddress => new(BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "ws");

    public HttpClient Http { get; }

    public GatewayRest Rest { get; }

    public T GetRequiredService<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Stops the app with its shutdown already cancelled, so that no hosted service gets time to finish and open
    /// requests are aborted (as near a kill as one process allows); the sidecar stays, for the next instance.
    /// </summary>
    public async Task StopAppAbruptlyAsync()
    {
        _appStopped = true;
        Http.Dispose();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        try
        {
            await _app.StopAsync(cancelled.Token);
        }
        catch (OperationCanceledException)
        {
            // What a cancelled shutdown may end with.
        }

        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_appStopped)
        {
            Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await Sidecar.DisposeAsync();
    }
}
