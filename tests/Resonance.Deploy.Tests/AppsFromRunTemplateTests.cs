using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.FakeDapr;
using Resonance.Testing;

namespace Resonance.Deploy.Tests;

/// <summary>
/// The four apps started from the exact commands and environment of dapr.yaml, each beside a fake sidecar
/// (a test double of daprd, tests/Resonance.FakeDapr) whose state stores and pub/sub are those of the default
/// component set: each answers /dapr/config and /dapr/subscribe as the code and components expect, and a
/// message sent on gateway-1 reaches a member on gateway-2.
/// </summary>
public sealed class AppsFromRunTemplateTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Each_app_starts_from_its_command_answers_daprd_and_a_message_crosses_the_gateways()
    {
        var template = DaprRunTemplate.Load();
        var components = ComponentSets.Load("components").Components;
        await using var dapr = new FakeDaprCluster(new FakeDaprOptions
        {
            StateStores = [.. components.Where(c => c.Block == "state").Select(c => new FakeStateStore(c.Name, KeyPrefixOf(c), c.IsActorStateStore))],
            PubSubs = [.. components.Where(c => c.Block == "pubsub").Select(c => c.Name)],
        });

        // A token exported in the shell reaches daprd and the app alike; dapr.yaml sets none, so the fake presents none.
        var sidecars = new Dictionary<string, FakeSidecar>();
        var apps = new List<AppProcess>();
        try
        {
            foreach (var app in template.Apps)
            {
                var sidecar = await dapr.StartSidecarAsync(app.AppId);
                sidecars[app.AppId] = sidecar;
                apps.Add(AppProcess.Start(app, sidecar.HttpEndpoint, sidecar.GrpcEndpoint));
            }

            foreach (var app in apps)
            {
                await app.WaitForPortAsync(StartTimeout);
                await sidecars[app.App.AppId].AttachAppAsync(app.Address);
            }

            var pubsubs = components.Where(c => c.Block == "pubsub").Select(c => c.Name).ToList();
            Assert.Equal([DaprNames.SessionActorType, DaprNames.UserSessionsActorType], sidecars[DaprNames.LogicAppId].ActorTypes.Order(StringComparer.Ordinal));
            Assert.Empty(sidecars[DaprNames.LogicAppId].Subscriptions);
            var push = Assert.Single(sidecars["task"].Subscriptions);
            Assert.Equal((DaprNames.PubSub, DaprNames.PushEventsTopic, (string?)null), (push.PubSub, push.Topic, push.DeadLetterTopic));
            foreach (var gateway in new[] { "gateway-1", "gateway-2" })
            {
                Assert.Empty(sidecars[gateway].ActorTypes);
                var broadcasts = Assert.Single(sidecars[gateway].Subscriptions);
                Assert.Equal((DaprNames.PubSub, DaprNames.BroadcastsTopic), (broadcasts.PubSub, broadcasts.Topic));
            }

            Assert.All(sidecars.Values.SelectMany(s => s.Subscriptions), s => Assert.Contains(s.PubSub, pubsubs));

            await AMessageCrossesTheGatewaysAsync(apps.Single(a => a.App.AppId == "gateway-1"), apps.Single(a => a.App.AppId == "gateway-2"));
        }
        catch (Exception e) when (e is not InvalidOperationException and not TimeoutException)
        {
            throw new InvalidOperationException(string.Join("\n", apps.Select(a => $"--- {a.App.AppId}:\n{a.Output}")), e);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>alice on gateway-1 writes to a group; bob on gateway-2 gets the push (dev tokens and the shared key come from dapr.yaml's env).</summary>
    private static async Task AMessageCrossesTheGatewaysAsync(AppProcess gateway1, AppProcess gateway2)
    {
        using var http1 = new HttpClient { BaseAddress = gateway1.Address };
        using var http2 = new HttpClient { BaseAddress = gateway2.Address };
        var rest1 = new GatewayRest(http1);
        var alice = await rest1.GetTokenAsync("alice");
        var bob = await new GatewayRest(http2).GetTokenAsync("bob");
        var session = await rest1.CreateSessionAsync(alice, SessionKinds.Group, "bob");

        await using var aliceSocket = await TestSocket.ConnectAsync(WebSocketAddress(gateway1), alice);
        await using var bobSocket = await TestSocket.ConnectAsync(WebSocketAddress(gateway2), bob);
        await aliceSocket.SendMessageAsync(session, "across the gateways");
        var ack = await aliceSocket.ReceiveUntilAnyAsync([WsPacket.BodyOneofCase.Ack, WsPacket.BodyOneofCase.Error], TimeSpan.FromSeconds(30));
        Assert.Equal(1, ack.Ack?.Seq);

        var pushed = (await bobSocket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Push, TimeSpan.FromSeconds(30))).Push;
        Assert.Equal((session, 1L, "across the gateways"), (pushed.SessionId, pushed.Seq, pushed.Content));
    }

    private static Uri WebSocketAddress(AppProcess gateway) => new($"ws://127.0.0.1:{gateway.App.AppPort}/ws");

    private static KeyPrefix KeyPrefixOf(DaprComponent component) => component.Value("keyPrefix") switch
    {
        null or "appid" => KeyPrefix.AppId,
        "name" => KeyPrefix.Name,
        "none" => KeyPrefix.None,
        var other => throw new NotSupportedException($"keyPrefix {other} in {component}"),
    };
}
