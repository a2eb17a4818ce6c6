using Resonance.Bench.Baselines;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Comparison;

/// <summary>The raw Kestrel broadcast baseline, started in this process; payloads are the message bytes.</summary>
internal sealed class RawSystem : IFanoutSystem
{
    private readonly RawBroadcastServer _server;

    private RawSystem(RawBroadcastServer server) => _server = server;

    public string Name => "raw";

    public string Description =>
        $"raw Kestrel WebSocket broadcast in-process (payload bytes encoded once, bounded queue of {RawBroadcastServer.QueueCapacity} frames and one writer per socket; no storage, acks or auth)";

    public static async Task<IFanoutSystem> StartAsync(CancellationToken cancellationToken) =>
        new RawSystem(await RawBroadcastServer.StartAsync(cancellationToken));

    public Task PrepareAsync(int recipients, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IAsyncDisposable> ConnectRecipientAsync(int index, Action<string, long> onPayload, CancellationToken cancellationToken) =>
        await BroadcastConnection.ConnectReceiverAsync(ListeningAddress.Socket(_server.BaseAddress, RawBroadcastServer.ReceivePath), onPayload, cancellationToken);

    public async Task<IFanoutSender> ConnectSenderAsync(CancellationToken cancellationToken) =>
        new Sender(await BroadcastConnection.ConnectSenderAsync(ListeningAddress.Socket(_server.BaseAddress, RawBroadcastServer.SendPath), cancellationToken));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class Sender(BroadcastConnection connection) : IFanoutSender
    {
        public long Refused => 0;

        public Task SendAsync(string payload, CancellationToken cancellationToken) => connection.SendAsync(payload, cancellationToken);

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
