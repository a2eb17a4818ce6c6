using System.Globalization;
using System.Net.WebSockets;
using Resonance.Bench.Baselines;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Chat;

/// <summary>
/// SignalR as a relay only: each member joins a group of its own, a send is an invocation of the hub's broadcast
/// to the other member's group, and its "ack" is the invocation's completion (the hub has queued it; nothing is stored).
/// </summary>
internal sealed class SignalRChat(Uri baseAddress) : IChatSystem
{
    public string Name => "signalr";

    public string Description => "SignalR hub, JSON hub protocol (relay only: no store; ack = completion of the hub invocation that queued the message)";

    public bool Durable => false;

    public Task PrepareAsync(int pairs, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IChatMember> ConnectAsync(int pair, int side, ChatLedger ledger, CancellationToken cancellationToken)
    {
        var hub = ListeningAddress.Socket(baseAddress, SignalRBroadcastServer.HubPath);
        var connection = await SignalRConnection.ConnectAsync(hub, BroadcastHub.DeliverTarget, ledger.RecordDelivery, cancellationToken);
        try
        {
            await connection.InvokeAsync(nameof(BroadcastHub.Join), [Group(pair, side)], cancellationToken);
            return new Member(connection, Group(pair, 1 - side), ledger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static string Group(int pair, int side) => string.Create(CultureInfo.InvariantCulture, $"p{pair}s{side}");

    private sealed class Member(SignalRConnection connection, string peerGroup, ChatLedger ledger) : IChatMember
    {
        public long Refused => 0;

        public async Task SendAsync(int index, string payload, CancellationToken cancellationToken)
        {
            try
            {
                await connection.InvokeAsync(nameof(BroadcastHub.Broadcast), [peerGroup, payload], cancellationToken);
                ledger.RecordAck(index, System.Diagnostics.Stopwatch.GetTimestamp());
            }
            catch (WebSocketException)
            {
                // No ack: counted as unacked.
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
