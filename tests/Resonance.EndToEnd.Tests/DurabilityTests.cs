using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public async Task Sessions_and_messages_survive_a_restart_and_seq_continues()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "resonance-tests", Guid.NewGuid().ToString("N"));
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        string session;
        await using (var first = await StandaloneServer.StartAsync(dataDirectory: dataDirectory))
        {
            var token = await first.GetTokenAsync(alice);
            session = await first.CreateSessionAsync(token, SessionKinds.Group, bob);
            await using var socket = await TestSocket.ConnectAsync(first, token);
            await MessagingTests.SendAll(socket, session, "before-restart", 3);
        }

        await using var second = await StandaloneServer.StartAsync(dataDirectory: dataDirectory);
        var bobToken = await second.GetTokenAsync(bob);
        await using var bobSocket = await TestSocket.ConnectAsync(second, bobToken);
        await bobSocket.SendMessageAsync(session, "after-restart", "after-restart");
        var ack = (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        await bobSocket.SendMessageAsync(session, "again?", "before-restart-0");
        var otherSendersId = (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        var history = await second.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages", bobToken);
        var sessions = await second.GetAsync<ListSessionsResponse>("/api/v1/sessions", bobToken);

        Assert.Equal(4, ack.Seq);
        Assert.Equal(5, otherSendersId.Seq);
        Assert.Equal(["before-restart0", "before-restart1", "before-restart2", "after-restart", "again?"], history.Messages.Select(m => m.Content));
        Assert.Equal(5, sessions.Sessions.Single().LastSeq);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task A_resend_after_a_restart_still_returns_the_original_ack()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "resonance-tests", Guid.NewGuid().ToString("N"));
        var alice = Names.User("alice");
        string session;
        SendAck original;
        await using (var first = await StandaloneServer.StartAsync(dataDirectory: dataDirectory))
        {
            var token = await first.GetTokenAsync(alice);
            session = await first.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
            await using var socket = await TestSocket.ConnectAsync(first, token);
            await socket.SendMessageAsync(session, "only once", "retry-me");
            original = (await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        }

        await using var second = await StandaloneServer.StartAsync(dataDirectory: dataDirectory);
        var again = await second.GetTokenAsync(alice);
        await using var retry = await TestSocket.ConnectAsync(second, again);
        await retry.SendMessageAsync(session, "only once", "retry-me");
        var repeated = (await retry.ReceiveUntilAsync(WsPacket.BodyOneofCase.Ack)).Ack;
        var history = await second.GetAsync<SyncResult>($"/api/v1/sessions/{session}/messages", again);

        Assert.Equal(original, repeated);
        Assert.Single(history.Messages);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Without_a_configured_key_dev_tokens_survive_a_restart()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "resonance-tests", Guid.NewGuid().ToString("N"));
        var noKey = new Dictionary<string, string?> { ["Auth:SigningKey"] = string.Empty };
        string token;
        await using (var first = await StandaloneServer.StartAsync(noKey, dataDirectory))
        {
            token = await first.GetTokenAsync(Names.User("alice"));
        }

        await using var second = await StandaloneServer.StartAsync(noKey, dataDirectory);
        using var sessions = await second.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, token);
        await using var elsewhere = await StandaloneServer.StartAsync(noKey);
        using var rejected = await elsewhere.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, token);

        Assert.Equal(System.Net.HttpStatusCode.OK, sessions.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, rejected.StatusCode);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "dev-signing-key")));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
