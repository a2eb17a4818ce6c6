using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests;

/// <summary>What a client does against the cluster's gateways, and what it keeps: pushes deduplicated by seq, as clients must.</summary>
internal static class ClusterClients
{
    public static async Task<TestSocket> ConnectAsync(DaprHost gateway, string username)
    {
        var token = await gateway.Rest.GetTokenAsync(username);
        return await TestSocket.ConnectAsync(gateway.WebSocketAddress, token);
    }

    public static async Task<string> CreateGroupAsync(DaprHost gateway, string creator, params string[] members)
    {
        var token = await gateway.Rest.GetTokenAsync(creator);
        return await gateway.Rest.CreateSessionAsync(token, SessionKinds.Group, members);
    }

    /// <summary>Sends and waits for the answer: the ack, or the error the command got.</summary>
    public static async Task<WsPacket> SendAsync(TestSocket socket, string sessionId, string content, string? clientMsgId = null)
    {
        await socket.SendMessageAsync(sessionId, content, clientMsgId);
        return await socket.ReceiveUntilAnyAsync([WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.Error], TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Pushes of <paramref name="sessionId"/> until seqs 1..<paramref name="lastSeq"/> have all arrived; returns each
    /// seq once, in the order first seen (repeats, which at-least-once delivery allows, are what clients drop).
    /// </summary>
    public static async Task<List<Push>> ReceiveDistinctAsync(TestSocket socket, string sessionId, long lastSeq)
    {
        var seen = new Dictionary<long, Push>();
        var order = new List<Push>();
        while (seen.Count < lastSeq)
        {
            var push = (await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Push, TimeSpan.FromSeconds(30))).Push;
            if (push.SessionId == sessionId && seen.TryAdd(push.Seq, push))
            {
                order.Add(push);
            }
        }

        return order;
    }

    public static async Task<SyncResult> SyncAsync(TestSocket socket, string sessionId, long afterSeq)
    {
        await socket.SendAsync(new WsPacket { Sync = new SyncCommand { SessionId = sessionId, AfterSeq = afterSeq, RequestId = "r" } });
        var packet = await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.SyncResult, TimeSpan.FromSeconds(30));
        return packet.SyncResult;
    }
}
