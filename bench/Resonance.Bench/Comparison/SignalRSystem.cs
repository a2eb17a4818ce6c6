using Resonance.Bench.Baselines;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Comparison;

/// <summary>The SignalR baseline, started in this process: recipients join one group, the sender invokes the hub's broadcast.</summary>
internal sealed class SignalRSystem : IFanoutSystem
{
    private const string Group = "fanout";

    private readonly SignalRBroadcastServer _server;

    private SignalRSystem(SignalRBroadcastServer server) => _server = server;

    public string Name => "signalr";

    public string Description =>
        "ASP.NET Core SignalR in-process (JSON hub protocol, WebSockets without negotiate, Clients.Group(g).SendAsync, defaults otherwise; no storage or auth)";

    private Uri Hub => ListeningAddress.Socket(_server.BaseAddress, SignalRBroadcastServer.HubPath);

    public static async Task<IFanoutSystem> StartAsync(CancellationToken cancellationToken) =>
        new SignalRSystem(await SignalRBroadcastServer.StartAsync(cancellationToken));

    public Task PrepareAsync(int recipients, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IAsyncDisposable> ConnectRecipientAsync(int index, Action<string, long> onPayload, CancellationToken cancellationToken)
    {
        var connection = await SignalRConnection.ConnectAsync(Hub, BroadcastHub.DeliverTarget, onPayload, cancellationToken);
        try
        {
            // Join completes once the connection is in the group.
            await connection.InvokeAsync(nameof(BroadcastHub.Join), [Group], cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IFanoutSender> ConnectSenderAsync(CancellationToken cancellationToken) =>
        new Sender(await SignalRConnection.ConnectAsync(Hub, BroadcastHub.DeliverTarget, null, cancellationToken));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Not in the group, so it gets no copy of its own messages (as the raw baseline's sender).</summary>
    private sealed class Sender(SignalRConnection connection) : IFanoutSender
    {
        public long Refused => 0;

        public Task SendAsync(string payload, CancellationToken cancellationToken) =>
            connection.SendAsync(nameof(BroadcastHub.Broadcast), [Group, payload], cancellationToken);

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
