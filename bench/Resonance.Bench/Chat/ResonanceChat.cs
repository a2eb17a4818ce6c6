using System.Globalization;
using Resonance.Bench.Infrastructure;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Chat;

/// <summary>Resonance: a direct session per pair, sends stored (SQLite) and acked with their seq before the push.</summary>
internal sealed class ResonanceChat(Uri baseAddress, string synchronous) : IChatSystem
{
    private readonly RunNames _names = new();
    private string[] _users = [];
    private string[] _tokens = [];
    private string[] _sessions = [];

    public string Name => "resonance";

    public string Description => $"Resonance standalone host (Local engine, SQLite Storage:Synchronous={synchronous}); ack = stored with its seq; binary protobuf";

    public bool Durable => true;

    public async Task PrepareAsync(int pairs, CancellationToken cancellationToken)
    {
        using var rest = new RestClient(baseAddress);
        _users = _names.Users("p", 2 * pairs);
        _tokens = await rest.GetTokensAsync(_users, 16, cancellationToken);
        _sessions = new string[pairs];
        await Parallel.ForAsync(0, pairs, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (p, ct) =>
            _sessions[p] = await rest.CreateSessionAsync(_tokens[2 * p], SessionKinds.Direct, [_users[(2 * p) + 1]], ct));
    }

    public async Task<IChatMember> ConnectAsync(int pair, int side, ChatLedger ledger, CancellationToken cancellationToken)
    {
        var me = _users[(2 * pair) + side];
        var member = new Member(_sessions[pair]);
        var connection = await RawConnection.ConnectAsync(ListeningAddress.Socket(baseAddress, "/ws"), _tokens[(2 * pair) + side], (packet, at) => member.OnPacket(packet, at, me, ledger), cancellationToken);
        member.Attach(connection);
        try
        {
            // Answered once the route is written: from then on it gets every push.
            await connection.SyncAsync(_sessions[pair], 0, cancellationToken);
            connection.StartHeartbeat(TimeSpan.FromSeconds(Math.Max(1, connection.Welcome!.HeartbeatIntervalSeconds)));
            return member;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Member(string sessionId) : IChatMember
    {
        private RawConnection? _connection;
        private long _refused;

        public long Refused => Interlocked.Read(ref _refused);

        public void Attach(RawConnection connection) => _connection = connection;

        public void OnPacket(WsPacket packet, long at, string me, ChatLedger ledger)
        {
            switch (packet.BodyCase)
            {
                case WsPacket.BodyOneofCase.Ack when TryIndex(packet.Ack.ClientMsgId, out var index):
                    ledger.RecordAck(index, at);
                    break;

                // Its own messages come back to it too; only the other member's count as delivered.
                case WsPacket.BodyOneofCase.Push when packet.Push.SessionId == sessionId && packet.Push.From != me:
                    ledger.RecordDelivery(packet.Push.Content, at);
                    break;
                case WsPacket.BodyOneofCase.Error when packet.Error.ClientMsgId.Length > 0:
                    Interlocked.Increment(ref _refused);
                    break;
            }
        }

        public Task SendAsync(int index, string payload, CancellationToken cancellationToken) =>
            _connection!.SendAsync(new WsPacket { Send = new SendCommand { ClientMsgId = "m" + index.ToString(CultureInfo.InvariantCulture), SessionId = sessionId, Content = payload } }, cancellationToken);

        public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;

        private static bool TryIndex(string clientMsgId, out int index)
        {
            index = 0;
            return clientMsgId.StartsWith('m') && int.TryParse(clientMsgId.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
    }
}
