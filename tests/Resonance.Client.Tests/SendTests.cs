using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.Testing;

namespace Resonance.Client.Tests;

public sealed class SendTests
{
    [Theory]
    [InlineData(WireEncoding.Protobuf)]
    [InlineData(WireEncoding.Json)]
    public async Task Acks_carry_seq_1_to_N_in_send_order(WireEncoding encoding)
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token, TestClients.Fast(encoding));

        // Issued without awaiting each: the client must keep them in order on the wire.
        var sends = Enumerable.Range(1, 30).Select(i => alice.SendAsync(session, $"m{i}")).ToList();
        var acks = await Task.WhenAll(sends).WaitAsync(Timeouts.Default);

        Assert.Equal(TestClients.Seqs(1, 30), acks.Select(a => a.Seq));
        Assert.All(acks, a => Assert.Equal(session, a.SessionId));
        Assert.Equal(30, acks.Select(a => a.ClientMsgId).Distinct().Count());
        Assert.Equal(30, acks.Select(a => a.MsgId).Distinct().Count());
        Assert.Equal("alice", alice.Welcome?.Username);
    }

    [Fact]
    public async Task A_send_over_the_gateways_rate_faults_with_rate_limited_and_when_to_retry_and_the_client_carries_on()
    {
        // One token an hour: the second send finds the bucket empty, and nothing refills during the test.
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:ConnectionSendRate"] = "1",
            ["Gateway:ConnectionSendBurst"] = "1",
            ["Gateway:SendRatePeriod"] = "01:00:00",
        });
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);

        var first = await alice.SendAsync(session, "first").WaitAsync(Timeouts.Default);
        var refused = await Assert.ThrowsAsync<ResonanceException>(() => alice.SendAsync(session, "second").WaitAsync(Timeouts.Default));
        var synced = await alice.SyncAsync(session, 0).WaitAsync(Timeouts.Default);

        Assert.Equal(1, first.Seq);
        Assert.Equal(ErrorCodes.RateLimited, refused.Code);
        Assert.Equal(TimeSpan.FromHours(1), refused.RetryAfter);
        Assert.Equal(["first"], synced.Messages.Select(m => m.Content));
    }

    [Fact]
    public async Task Send_to_a_session_the_user_is_not_in_faults_with_session_not_found()
    {
        await using var server = await StandaloneServer.StartAsync();
        var aliceToken = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Group, "bob");
        var mallory = await server.GetTokenAsync("mallory");
        await using var client = await TestClients.ConnectAsync(server, mallory);
        await using var alice = await TestClients.ConnectAsync(server, aliceToken);

        var error = await Assert.ThrowsAsync<ResonanceException>(() => client.SendAsync(session, "let me in").WaitAsync(Timeouts.Default));

        Assert.Equal(ErrorCodes.SessionNotFound, error.Code);

        // The rejection stored nothing and the connection carries on.
        var ack = await alice.SendAsync(session, "first").WaitAsync(Timeouts.Default);
        Assert.Equal(1, ack.Seq);
        Assert.Equal(ConnectionState.Connected, client.State);
    }

    [Fact]
    public async Task Send_too_large_for_a_frame_is_refused_before_it_reaches_the_server()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);
        var states = new StateRecorder(alice);

        var error = await Assert.ThrowsAsync<ResonanceException>(() => alice.SendAsync(session, new string('x', 70_000)).WaitAsync(Timeouts.Default));

        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        var ack = await alice.SendAsync(session, "small").WaitAsync(Timeouts.Default);
        Assert.Equal(1, ack.Seq);
        Assert.DoesNotContain(states.Unread(), change => change.Current == ConnectionState.Disconnected);
    }

    [Fact]
    public async Task Send_queued_before_the_welcome_and_too_large_for_the_servers_limit_is_refused_not_written()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxFrameBytes"] = "1024" });
        var counters = server.GetRequiredService<GatewayCounters>();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = new ResonanceClient(server.WebSocketAddress, token, TestClients.Fast());
        var states = new StateRecorder(alice);

        // Queued while the client knows only its own 64 KiB limit; the welcome then says 1 KiB.
        var large = alice.SendAsync(session, new string('x', 2_000));
        var small = alice.SendAsync(session, "small");
        await alice.ConnectAsync().WaitAsync(Timeouts.Default);

        var error = await Assert.ThrowsAsync<ResonanceException>(() => large.WaitAsync(Timeouts.Default));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
        Assert.Equal(1, (await small.WaitAsync(Timeouts.Default)).Seq);
        Assert.Equal(1024, alice.Welcome!.MaxFrameBytes);

        // Once the welcome is known, a large send is refused at once.
        var late = await Assert.ThrowsAsync<ResonanceException>(() => alice.SendAsync(session, new string('y', 2_000)));
        Assert.Equal(ErrorCodes.InvalidArgument, late.Code);
        Assert.Equal(2, (await alice.SendAsync(session, "after").WaitAsync(Timeouts.Default)).Seq);
        Assert.DoesNotContain(states.Unread(), change => change.Current == ConnectionState.Disconnected);
        Assert.Equal(1, counters.ConnectionsAccepted);
    }

    [Fact]
    public async Task Sender_subscriber_sees_its_own_messages_once_in_order()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var alice = await TestClients.ConnectAsync(server, token);
        var recorder = new PushRecorder();
        using var subscription = alice.Subscribe(session, recorder.Record);

        await Task.WhenAll(Enumerable.Range(1, 10).Select(i => alice.SendAsync(session, $"m{i}"))).WaitAsync(Timeouts.Default);
        var pushes = await recorder.NextAsync(10);

        Assert.Equal(TestClients.Seqs(1, 10), pushes.Select(p => p.Seq));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), pushes.Select(p => p.Content));

        // A barrier message: were anything delivered twice, it would come before seq 11.
        await alice.SendAsync(session, "barrier").WaitAsync(Timeouts.Default);
        Assert.Equal(11, Assert.Single(await recorder.NextAsync(1)).Seq);
        Assert.Equal(11, alice.GetLastSeq(session));
    }

    [Fact]
    public async Task Dispose_faults_sends_that_were_never_answered()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        var client = new ResonanceClient(server.WebSocketAddress, token, TestClients.Fast());

        // Never connected: the send waits for a connection that never comes.
        var send = client.SendAsync(session, "queued");
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => send.WaitAsync(Timeouts.Default));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendAsync(session, "late"));
        Assert.Equal(ConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task Cancelled_send_completes_as_cancelled_and_is_not_sent_later()
    {
        await using var server = await StandaloneServer.StartAsync();
        var token = await server.GetTokenAsync("alice");
        var session = await server.CreateSessionAsync(token, SessionKinds.Group, "bob");
        await using var client = new ResonanceClient(server.WebSocketAddress, token, TestClients.Fast());
        using var cancel = new CancellationTokenSource();

        // Queued before connecting, cancelled before it could be written.
        var cancelled = client.SendAsync(session, "never", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeouts.Default));
        await client.ConnectAsync().WaitAsync(Timeouts.Default);

        var ack = await client.SendAsync(session, "kept").WaitAsync(Timeouts.Default);
        Assert.Equal(1, ack.Seq);
        var sync = await client.SyncAsync(session, 0).WaitAsync(Timeouts.Default);
        Assert.Equal(["kept"], sync.Messages.Select(m => m.Content));
    }
}
