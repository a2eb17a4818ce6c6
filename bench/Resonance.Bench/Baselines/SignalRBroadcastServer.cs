using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Baselines;

/// <summary>
/// The SignalR baseline: ASP.NET Core SignalR with its defaults (JSON hub protocol, in-memory groups on one
/// server, no backplane) and <see cref="BroadcastHub"/> at <see cref="HubPath"/>.
/// </summary>
internal sealed class SignalRBroadcastServer : IAsyncDisposable
{
    public const string HubPath = "/hub";

    private readonly WebApplication _app;

    private SignalRBroadcastServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<SignalRBroadcastServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = BaselineHost.CreateBuilder();
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<BroadcastHub>(HubPath);
        await app.StartAsync(cancellationToken);
        return new SignalRBroadcastServer(app, ListeningAddress.Of(app));
    }

    public ValueTask DisposeAsync() => BaselineHost.StopAsync(_app);
}
