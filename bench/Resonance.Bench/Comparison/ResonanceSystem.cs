using Resonance.Bench.Infrastructure;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Comparison;

/// <summary>
/// Resonance itself: the standalone host started in this process (or the server at <c>--url</c>), a group
/// session of the sender and every recipient, and the protobuf frames of <see cref="RawConnection"/>.
/// </summary>
internal sealed class ResonanceSystem : IFanoutSystem
{
    private const int SetupParallelism = 16;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    private readonly BenchTarget _target;
    private readonly RunNames _names = new();
    private string[] _tokens = [];
    private string _sessionId = string.Empty;

    private ResonanceSystem(BenchTarget target, string description)
    {
        _target = target;
        Description = description;
    }

    public string Name => "resonance";

    public string Description { get; }

    /// <summary>A fresh in-process host, or the running server at <paramref name="url"/>.</summary>
    public static async Task<IFanoutSystem> StartAsync(Uri? url, string synchronous, CancellationToken cancellationToken)
    {
        if (url is not null)
        {
            return new ResonanceSystem(BenchTarget.Remote(url),
                $"Resonance server at {url} (separate process, its own settings; not restarted between runs), binary protobuf");
        }

        var target = await BenchTarget.StartInProcessAsync(synchronous, cancellationToken);
        return new ResonanceSystem(target,
            $"Resonance standalone host in-process (Local engine: gateway + logic + task, SQLite Storage:Synchronous={synchronous}, every message stored and acked before its pushes), binary protobuf");
    }

    public async Task PrepareAsync(int recipients, CancellationToken cancellationToken)
    {
        var members = _names.Users("f", recipients + 1);
        _tokens = await _target.Rest.GetTokensAsync(members, SetupParallelism, cancellationToken);
        _sessionId = await _target.Rest.CreateSessionAsync(_tokens[0], SessionKinds.Group, members[1..], cancellationToken);
    }

    public async Task<IAsyncDisposable> ConnectRecipientAsync(int index, Action<string, long> onPayload, CancellationToken cancellationToken)
    {
        var sessionId = _sessionId;
        var connection = await RawConnection.ConnectAsync(_target.SocketAddress, _tokens[index + 1], (packet, at) =>
        {
            if (packet.BodyCase == WsPacket.BodyOneofCase.Push && packet.Push.SessionId == sessionId)
            {
                onPayload(packet.Push.Content, at);
            }
        }, cancellationToken);
        try
        {
            // Answered only once the connection's route is recorded: from then on it gets every push.
            await connection.SyncAsync(sessionId, 0, cancellationToken);
            connection.StartHeartbeat(Heartbeat);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<IFanoutSender> ConnectSenderAsync(CancellationToken cancellationToken)
    {
        var sender = new Sender(_sessionId, _names);
        sender.Attach(await RawConnection.ConnectAsync(_target.SocketAddress, _tokens[0], sender.OnPacket, cancellationToken));
        return sender;
    }

    public ValueTask DisposeAsync() => _target.DisposeAsync();

    /// <summary>Sends without waiting for acks (open loop); it also gets a push of each of its own messages, and reads it.</summary>
    private sealed class Sender(string sessionId, RunNames names) : IFanoutSender
    {
        private RawConnection? _connection;
        private long _sent;
        private long _refused;

        public long Refused => Interlocked.Read(ref _refused);

        public void Attach(RawConnection connection) => _connection = connection;

        public void OnPacket(WsPacket packet, long at)
        {
            if (packet.BodyCase == WsPacket.BodyOneofCase.Error && packet.Error.ClientMsgId.Length > 0)
            {
                Interlocked.Increment(ref _refused);
            }
        }

        public Task SendAsync(string payload, CancellationToken cancellationToken)
        {
            var clientMsgId = names.User("msg", (int)Interlocked.Increment(ref _sent));
            return _connection!.SendAsync(new WsPacket { Send = new SendCommand { ClientMsgId = clientMsgId, SessionId = sessionId, Content = payload } }, cancellationToken);
        }

        public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
