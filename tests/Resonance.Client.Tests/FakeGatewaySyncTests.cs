using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.Client.Tests;

/// <summary>Syncs in situations only a fake gateway produces on cue.</summary>
public sealed class FakeGatewaySyncTests
{
    private const string Session = "s-1";
    private const string Other = "s-2";

    [Fact]
    public async Task Sync_results_answered_out_of_order_reach_their_own_request()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options());
        var connection = await FakeClients.ConnectAsync(client, gateway);

        var syncs = new[] { client.SyncAsync(Session, 0), client.SyncAsync(Session, 10), client.SyncAsync(Session, 20) };
        var commands = new List<SyncCommand>();
        for (var i = 0; i < syncs.Length; i++)
        {
            commands.Add(await connection.ReceiveSyncAsync());
        }

        Assert.Equal([0L, 10L, 20L], commands.Select(c => c.AfterSeq));
        Assert.Equal(3, commands.Select(c => c.RequestId).Distinct().Count());

        // Last first, the middle one rejected, the first last: only the request id says which is which.
        await connection.SendAsync(new WsPacket { SyncResult = Result(commands[2], 21) });
        await connection.SendAsync(new WsPacket { Error = new Error { Code = ErrorCodes.Unavailable, Message = "busy", RequestId = commands[1].RequestId } });
        await connection.SendAsync(new WsPacket { SyncResult = Result(commands[0], 1) });

        Assert.Equal(21, Assert.Single((await syncs[2].WaitAsync(Timeouts.Default)).Messages).Seq);
        var error = await Assert.ThrowsAsync<ResonanceException>(() => syncs[1].WaitAsync(Timeouts.Default));
        Assert.Equal(ErrorCodes.Unavailable, error.Code);
        Assert.Equal(1, Assert.Single((await syncs[0].WaitAsync(Timeouts.Default)).Messages).Seq);
    }

    [Fact]
    public async Task Gap_in_pushes_is_filled_by_sync_before_the_new_message()
    {
        await using var gateway = await FakeGateway.StartAsync();
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options());
        var recorder = new PushRecorder();
        using var subscription = client.Subscribe(Session, recorder.Record);
        var connection = await FakeClients.ConnectAsync(client, gateway);

        await connection.PushAsync(Session, 1);
        await connection.PushAsync(Session, 4);
        var sync = await connection.ReceiveSyncAsync();
        await connection.PushAsync(Session, 5);
        await connection.SendAsync(new WsPacket { SyncResult = Result(sync, 2, 3) });

        Assert.Equal(1, sync.AfterSeq);
        Assert.Equal(TestClients.Seqs(1, 5), (await recorder.NextAsync(5)).Select(p => p.Seq));
    }

    [Fact]
    public async Task A_gap_sync_that_fails_for_now_is_retried_until_the_buffered_pushes_are_delivered()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var time = new FakeTimeProvider();
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options(), time);
        var recorder = new PushRecorder();
        using var subscription = client.Subscribe(Session, recorder.Record);
        var connection = await FakeClients.ConnectAsync(client, gateway);

        await connection.PushAsync(Session, 1);
        await connection.PushAsync(Session, 3);
        var first = await connection.ReceiveSyncAsync();
        await connection.SendAsync(new WsPacket { Error = new Error { Code = ErrorCodes.Unavailable, Message = "logic is restarting", RequestId = first.RequestId } });

        // The retry waits out a backoff on the client's clock.
        var retried = connection.ReceiveSyncAsync();
        await AdvanceUntilAsync(time, retried, "the sync was retried");
        var second = await retried;
        await connection.SendAsync(new WsPacket { SyncResult = Result(second, 2) });

        Assert.Equal(1, first.AfterSeq);
        Assert.Equal(1, second.AfterSeq);
        Assert.NotEqual(first.RequestId, second.RequestId);
        Assert.Equal(TestClients.Seqs(1, 3), (await recorder.NextAsync(3)).Select(p => p.Seq));
        await connection.PushAsync(Session, 4);
        Assert.Equal(4, Assert.Single(await recorder.NextAsync(1)).Seq);
    }

    [Fact]
    public async Task A_gap_sync_rejected_for_good_drops_the_buffered_pushes()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var logger = new RecordingLogger();
        await using var client = new ResonanceClient(gateway.Address, "token", FakeClients.Options(), logger: logger);
        var recorder = new PushRecorder();
        using var subscription = client.SubscribeAll(recorder.Record);
        var connection = await FakeClients.ConnectAsync(client, gateway);

        await connection.PushAsync(Session, 1);
        await connection.PushAsync(Session, 3);
        var sync = await connection.ReceiveSyncAsync();
        await connection.SendAsync(new WsPacket { Error = new Error { Code = ErrorCodes.SessionNotFound, Message = "gone", RequestId = sync.RequestId } });
        await Eventually.TrueAsync(() => logger.Of("SyncRejected").Count == 1, "the rejection was handled");

        // Push 3 was dropped with the failed sync: a late push 2 is delivered alone, and another session's push is the barrier.
        await connection.PushAsync(Session, 2);
        await connection.PushAsync(Other, 1);

        var delivered = await recorder.NextAsync(3);
        Assert.Equal([(Session, 1L), (Session, 2L), (Other, 1L)], delivered.Select(p => (p.SessionId, p.Seq)));
        Assert.Equal(2, client.GetLastSeq(Session));
        Assert.Equal(ErrorCodes.SessionNotFound, Assert.IsType<ResonanceException>(logger.Of("SyncRejected")[0].Exception).Code);
    }

    internal static SyncResult Result(SyncCommand command, params long[] seqs)
    {
        var result = new SyncResult { SessionId = command.SessionId, RequestId = command.RequestId, HasMore = false, LastSeq = seqs.Length > 0 ? seqs[^1] : command.AfterSeq };
        result.Messages.AddRange(seqs.Select(seq => FakeConnection.Message(command.SessionId, seq)));
        return result;
    }

    /// <summary>Moves the client's clock on in small steps until <paramref name="effect"/> happened.</summary>
    internal static Task AdvanceUntilAsync(FakeTimeProvider time, Task effect, string what) =>
        Eventually.TrueAsync(() =>
        {
            if (effect.IsCompleted)
            {
                return true;
            }

            time.Advance(TimeSpan.FromMilliseconds(20));
            return false;
        }, what);
}
