using Microsoft.AspNetCore.SignalR;

namespace Resonance.Bench.Baselines;

/// <summary>The SignalR baseline's hub: a client joins a group, and a message to the group goes to every connection in it.</summary>
internal sealed class BroadcastHub : Hub
{
    /// <summary>The client method each group member receives, with the payload as its one argument.</summary>
    public const string DeliverTarget = "Deliver";

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Broadcast(string group, string payload) => Clients.Group(group).SendAsync(DeliverTarget, payload);
}
