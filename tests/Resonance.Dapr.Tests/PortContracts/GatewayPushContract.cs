using Resonance.Contracts.V1;
using Resonance.TaskService.Dispatch;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>What task's <see cref="IGatewayPushClient"/> must do on every engine: one batch to one gateway, failures per recipient.</summary>
public abstract class GatewayPushContract : IAsyncLifetime
{
    protected abstract IGatewayPushClient Pushes { get; }

    /// <summary>The id of the gateway <see cref="ConnectAsync"/> connects to.</summary>
    protected abstract string GatewayId { get; }

    protected abstract Task<TestSocket> ConnectAsync(string username);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task A_batch_reaches_every_connection_of_its_recipients_and_names_those_not_connected()
    {
        await using var bobOne = await ConnectAsync("bob");
        await using var bobTwo = await ConnectAsync("bob");
        var batch = new PushBatch { Message = new Push { SessionId = "g_1", Seq = 7, MsgId = "m7", From = "alice", Content = "hi" }, Recipients = { "bob", "nobody" } };

        var result = await Pushes.PushAsync(GatewayId, batch, CancellationToken.None);

        Assert.Equal(["nobody"], result.FailedRecipients);
        Assert.Equal(2, result.DeliveredConnections);
        foreach (var socket in new[] { bobOne, bobTwo })
        {
            Assert.Equal(batch.Message, (await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Push)).Push);
        }
    }

    [Fact]
    public async Task A_batch_to_a_gateway_that_does_not_exist_fails()
    {
        var batch = new PushBatch { Message = new Push { SessionId = "g_1", Seq = 1 }, Recipients = { "bob" } };

        await Assert.ThrowsAnyAsync<Exception>(() => Pushes.PushAsync("gateway-404", batch, CancellationToken.None));
    }
}
