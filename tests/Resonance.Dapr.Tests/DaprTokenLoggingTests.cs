using System.Net;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// With every log level on, no app of the Dapr engine logs a token: not a user's JWT (bearer header or the socket
/// URL's <c>?access_token=</c>), not the app API token the sidecar presents on the push into a gateway, on the
/// actor call into logic and on the event into task, not the Dapr API token the apps present to their sidecars.
/// </summary>
public sealed class DaprTokenLoggingTests
{
    private const string WrongAppToken = "wrong-app-api-token-0123456789";

    [Fact]
    public async Task No_app_logs_a_token_at_Verbose_through_connect_send_push_and_dev_token()
    {
        var logs = new Dictionary<string, LogRecorder>
        {
            ["gateway-1"] = new(),
            ["gateway-2"] = new(),
            [DaprNames.LogicAppId] = new(),
            ["task"] = new(),
        };
        string[] secrets;
        await using (var cluster = await DaprCluster.StartAsync(settings: LogRecorder.EverythingSettings, logs: appId => logs[appId]))
        {
            var aliceToken = await cluster.Gateway(1).Rest.GetTokenAsync("alice");
            var bobToken = await cluster.Gateway(2).Rest.GetTokenAsync("bob");
            secrets = [aliceToken, bobToken, DaprCluster.AppApiToken, DaprCluster.DaprApiToken, DaprCluster.SigningKey, WrongAppToken];

            var session = await cluster.Gateway(1).Rest.CreateSessionAsync(aliceToken, SessionKinds.Direct, "bob");
            await using var alice = await TestSocket.ConnectAsync(cluster.Gateway(1).WebSocketAddress, aliceToken);
            await using var bob = await TestSocket.ConnectWithQueryTokenAsync(cluster.Gateway(2).WebSocketAddress, bobToken);
            await alice.SendMessageAsync(session, "hello");

            // logic stored it (actor call with the app API token), task took the event, gateway-2 took the push.
            Assert.Equal("hello", (await bob.ReceiveUntilAsync(WsPacket.BodyOneofCase.Push, TimeSpan.FromSeconds(30))).Push.Content);

            // A push with a wrong app API token is refused without logging it.
            using var forged = new HttpRequestMessage(HttpMethod.Post, InternalRoutes.Push) { Content = new ByteArrayContent([]) };
            forged.Headers.Add("dapr-api-token", WrongAppToken);
            using var refused = await cluster.Gateway(2).Http.SendAsync(forged);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        foreach (var (appId, log) in logs)
        {
            var texts = log.Texts();
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
            }

            // Each app's request lines were logged, so the check above saw them.
            Assert.True(texts.Any(t => t.Contains("Request starting", StringComparison.Ordinal)), $"{appId} logged no request line");
        }

        Assert.Contains(logs["gateway-2"].Texts(), t => t.Contains("\"/ws\"", StringComparison.Ordinal) && t.Contains("?access_token=[redacted]", StringComparison.Ordinal));
        Assert.Contains(logs["gateway-2"].Texts(), t => t.Contains(InternalRoutes.Push, StringComparison.Ordinal));
    }
}
