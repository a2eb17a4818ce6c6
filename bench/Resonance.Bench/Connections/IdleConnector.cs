using Resonance.Bench.Baselines;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Connections;

/// <summary>
/// Opens one idle connection the way each system's clients do, up to the point where the server has accepted
/// it as a client: Resonance's welcome (after the bearer token is checked), the SignalR handshake's answer, the
/// raw server's registration frame.
/// </summary>
internal static class IdleConnector
{
    public static async Task<HeldConnection> ConnectAsync(string system, Uri baseAddress, string? token, CancellationToken cancellationToken)
    {
        switch (system)
        {
            case FanoutComparison.Resonance:
                var resonance = await RawConnection.ConnectAsync(ListeningAddress.Socket(baseAddress, "/ws"), token!, null, cancellationToken);

                // As a client should: a ping at the interval the welcome asks for, so the idle timeout never fires.
                resonance.StartHeartbeat(TimeSpan.FromSeconds(Math.Max(1, resonance.Welcome!.HeartbeatIntervalSeconds)));
                return new HeldConnection(resonance, resonance.Completion);
            case FanoutComparison.SignalR:
                // Pings every 10 s on its own; the server pings every 15 s.
                var hub = await SignalRConnection.ConnectAsync(ListeningAddress.Socket(baseAddress, SignalRBroadcastServer.HubPath), BroadcastHub.DeliverTarget, null, cancellationToken);
                return new HeldConnection(hub, hub.Completion);
            case FanoutComparison.Raw:
                var raw = await BroadcastConnection.ConnectReceiverAsync(ListeningAddress.Socket(baseAddress, RawBroadcastServer.ReceivePath), static (_, _) => { }, cancellationToken);
                return new HeldConnection(raw, raw.Completion);
            default:
                throw new ArgumentException($"Unknown system '{system}'.", nameof(system));
        }
    }
}
