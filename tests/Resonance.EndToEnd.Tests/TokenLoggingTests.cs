using Resonance.Contracts;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>
/// With every log level on (ASP.NET Core's request lines included), nothing the standalone host logs holds a
/// token: not the bearer header's, not the socket URL's <c>?access_token=</c>, not a forged one, not the signing key.
/// </summary>
public sealed class TokenLoggingTests
{
    private const string SigningKey = "resonance-token-logging-tests-key-0123456789";

    [Fact]
    public async Task No_token_reaches_the_log_at_Verbose_and_the_socket_url_is_logged_with_the_token_redacted()
    {
        var log = new LogRecorder();
        var settings = new Dictionary<string, string?>(LogRecorder.EverythingSettings) { ["Auth:SigningKey"] = SigningKey };
        string[] secrets;
        await using (var server = await StandaloneServer.StartAsync(settings, configure: log.Install))
        {
            var (alice, bob) = (Names.User("alice"), Names.User("bob"));
            var aliceToken = await server.GetTokenAsync(alice);
            var bobToken = await server.GetTokenAsync(bob);
            var forged = aliceToken[..^4] + (aliceToken.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
            secrets = [aliceToken, bobToken, forged, SigningKey, Signature(aliceToken), Signature(bobToken)];

            var session = await server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);
            await using var aliceSocket = await TestSocket.ConnectAsync(server.WebSocketAddress, aliceToken);
            await using var bobSocket = await TestSocket.ConnectWithQueryTokenAsync(server.WebSocketAddress, bobToken);
            await aliceSocket.SendMessageAsync(session, "hello");
            Assert.Equal("hello", (await bobSocket.ReceiveUntilAsync(Contracts.V1.WsPacket.BodyOneofCase.Push)).Push.Content);

            // A forged token is refused; neither it nor the reason may show it.
            await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => TestSocket.ConnectWithQueryTokenAsync(server.WebSocketAddress, forged));
            using var refused = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, forged);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var texts = log.Texts();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }

        // The request lines were logged (so the check above saw them), with the socket URL's token redacted.
        Assert.True(
            texts.Any(t => t.Contains("Request starting", StringComparison.Ordinal) && t.Contains("\"/ws\"", StringComparison.Ordinal)
                && t.Contains("?access_token=[redacted]", StringComparison.Ordinal)),
            "no request line of a socket with its token redacted; the lines naming /ws:\n" + string.Join('\n', texts.Where(t => t.Contains("/ws", StringComparison.Ordinal))));
        Assert.Contains(texts, t => t.Contains("/api/v1/dev/token", StringComparison.Ordinal));
    }

    /// <summary>A JWT's signature: logging only that part would leak enough to matter.</summary>
    private static string Signature(string jwt) => jwt[(jwt.LastIndexOf('.') + 1)..];
}
