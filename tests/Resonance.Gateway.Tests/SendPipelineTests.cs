using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Connections;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

/// <summary>
/// A connection's sends go to logic in batches: those that arrive while logic stores a batch go together in the
/// next call, and every reply is queued in the order of the sends, each send with its own ack or error.
/// </summary>
public sealed class SendPipelineTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sends_that_arrive_while_a_batch_is_stored_go_to_logic_in_one_call_and_are_acked_in_order()
    {
        var (handler, logic, connection) = Create(new GatewayOptions());

        await handler.HandleAsync(connection, Send("c1"));
        await logic.CalledAsync();
        for (var i = 2; i <= 5; i++)
        {
            await handler.HandleAsync(connection, Send($"c{i}"));
        }

        logic.ReleaseOne();
        await logic.CalledAsync();
        logic.ReleaseOne();
        await connection.Sends!.FlushAsync().WaitAsync(Timeout);

        Assert.Equal([["c1"], ["c2", "c3", "c4", "c5"]], logic.Calls);
        Assert.Equal(["ack c1", "ack c2", "ack c3", "ack c4", "ack c5"], Replies(connection));
    }

    [Fact]
    public async Task A_bad_send_in_a_batch_gets_its_own_error_and_the_sends_around_it_their_acks()
    {
        var (handler, logic, connection) = Create(new GatewayOptions());

        await handler.HandleAsync(connection, Send("c1"));
        await logic.CalledAsync();
        await handler.HandleAsync(connection, Send("c2"));
        await handler.HandleAsync(connection, Send("c3", "bad"));
        await handler.HandleAsync(connection, Send("c4"));
        logic.ReleaseOne();
        await logic.CalledAsync();
        logic.ReleaseOne();
        await connection.Sends!.FlushAsync().WaitAsync(Timeout);

        Assert.Equal([["c1"], ["c2", "c3", "c4"]], logic.Calls);
        Assert.Equal(["ack c1", "ack c2", $"error {ErrorCodes.InvalidArgument} c3", "ack c4"], Replies(connection));
    }

    [Fact]
    public async Task A_full_batch_holds_the_read_loop_until_the_pump_takes_it()
    {
        var (handler, logic, connection) = Create(new GatewayOptions { MaxSendsPerBatch = 2 });

        await handler.HandleAsync(connection, Send("c1"));
        await logic.CalledAsync();
        await handler.HandleAsync(connection, Send("c2"));
        var third = handler.HandleAsync(connection, Send("c3")); // the next batch is full now

        Assert.False(third.IsCompleted);
        logic.ReleaseOne();
        await third.WaitAsync(Timeout);
        await logic.CalledAsync();
        logic.ReleaseOne();
        await connection.Sends!.FlushAsync().WaitAsync(Timeout);

        Assert.Equal([["c1"], ["c2", "c3"]], logic.Calls);
        Assert.Equal(["ack c1", "ack c2", "ack c3"], Replies(connection));
    }

    [Fact]
    public async Task A_sync_after_sends_is_answered_after_their_acks()
    {
        var (handler, logic, connection) = Create(new GatewayOptions());

        await handler.HandleAsync(connection, Send("c1"));
        await logic.CalledAsync();
        var sync = handler.HandleAsync(connection, PacketCodec.Encode(new WsPacket { Sync = new SyncCommand { SessionId = "g_1", RequestId = "r1" } }, FrameEncoding.Protobuf));

        Assert.False(sync.IsCompleted);
        logic.ReleaseOne();
        await sync.WaitAsync(Timeout);

        Assert.Equal(["ack c1", "sync r1"], Replies(connection));
    }

    [Fact]
    public async Task A_reply_with_neither_ack_nor_error_reaches_the_client_as_unavailable()
    {
        var (handler, logic, connection) = Create(new GatewayOptions());

        await handler.HandleAsync(connection, Send("c1", "blank"));
        await logic.CalledAsync();
        logic.ReleaseOne();
        await connection.Sends!.FlushAsync().WaitAsync(Timeout);

        Assert.Equal([$"error {ErrorCodes.Unavailable} c1"], Replies(connection));
    }

    [Fact]
    public async Task A_failure_past_the_pipelines_own_answers_gives_up_the_queued_sends_and_the_next_send_goes_through()
    {
        // The only way past SendBatchAsync's catch found: the log sink throws while a failed batch is logged.
        var (handler, logic, connection) = Create(new GatewayOptions(), new ThrowingLogger());

        await handler.HandleAsync(connection, Send("c1", "throw"));
        await logic.CalledAsync();
        await handler.HandleAsync(connection, Send("c2"));
        logic.ReleaseOne();
        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.Sends!.FlushAsync().WaitAsync(Timeout));
        await handler.HandleAsync(connection, Send("c3"));
        await logic.CalledAsync();
        logic.ReleaseOne();
        await connection.Sends!.FlushAsync().WaitAsync(Timeout);

        Assert.Equal([["c1"], ["c3"]], logic.Calls);
        Assert.Equal([$"error {ErrorCodes.Unavailable} c2", "ack c3"], Replies(connection));
    }

    private static (PacketHandler Handler, GatedLogic Logic, ClientConnection Connection) Create(GatewayOptions options, ILogger<PacketHandler>? logger = null)
    {
        options.ConnectionSendRate = 0;
        options.UserSendRate = 0;
        var harness = new GatewayHarness(options);
        var logic = new GatedLogic();
        var limits = new SendRateLimiter(Options.Create(options));
        var handler = new PacketHandler(logic, limits, harness.Counters, Options.Create(options), harness.Time, logger ?? NullLogger<PacketHandler>.Instance);
        return (handler, logic, harness.Connect("alice"));
    }

    private static List<string> Replies(ClientConnection connection) =>
        [.. GatewayHarness.Drain(connection)
            .Select(frame => WsPacket.Parser.ParseFrom(frame.Span))
            .Where(packet => packet.BodyCase != WsPacket.BodyOneofCase.None)
            .Select(packet => packet.BodyCase switch
            {
                WsPacket.BodyOneofCase.Ack => $"ack {packet.Ack.ClientMsgId}",
                WsPacket.BodyOneofCase.Error => $"error {packet.Error.Code} {packet.Error.ClientMsgId}",
                WsPacket.BodyOneofCase.SyncResult => $"sync {packet.SyncResult.RequestId}",
                _ => packet.BodyCase.ToString(),
            })];

    private sealed class ThrowingLogger : ILogger<PacketHandler>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("the log sink failed");
    }

    private static ReadOnlyMemory<byte> Send(string clientMsgId, string content = "hi") =>
        PacketCodec.Encode(new WsPacket { Send = new SendCommand { SessionId = "g_1", ClientMsgId = clientMsgId, Content = content } }, FrameEncoding.Protobuf);
}
