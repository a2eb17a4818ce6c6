using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.FakeDapr;

namespace Resonance.DaprEngine.Tests;

/// <summary>The app side as daprd calls it: configuration, subscriptions, CloudEvent deliveries, internal endpoints.</summary>
public sealed class AppContractTests
{
    [Fact]
    public async Task Logic_declares_its_actor_types_on_dapr_config()
    {
        await using var logic = new DaprAppFactory<Logic.LogicOptions>("logic");

        using var config = JsonDocument.Parse(await logic.CreateSidecarClient().GetStringAsync("/dapr/config"));

        var entities = config.RootElement.GetProperty("entities").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal);
        Assert.Equal([DaprNames.SessionActorType, DaprNames.UserSessionsActorType], entities);
    }

    [Fact]
    public async Task Task_subscribes_to_push_events_with_a_dead_letter_topic()
    {
        await using var task = new DaprAppFactory<TaskService.TaskOptions>("task");

        var subscription = Assert.Single(await SubscriptionsAsync(task.CreateSidecarClient()));

        Assert.Equal(
            (DaprNames.PubSub, DaprNames.PushEventsTopic, InternalRoutes.PushEvents, (string?)null), // no dead-letter topic: see PushEventsEndpoint
            (Text(subscription, "pubsubName"), Text(subscription, "topic"), "/" + Text(subscription, "route")?.TrimStart('/'), Text(subscription, "deadLetterTopic")));
    }

    [Fact]
    public async Task Task_leaves_retries_to_dapr_redelivery_unless_configured()
    {
        await using var task = new DaprAppFactory<TaskService.TaskOptions>("task");
        await using var configured = task.WithWebHostBuilder(builder => builder.UseSetting("Task:MaxRetry", "2"));

        var byDefault = task.Services.GetRequiredService<IOptions<TaskService.TaskOptions>>().Value.MaxRetry;
        var set = configured.Services.GetRequiredService<IOptions<TaskService.TaskOptions>>().Value.MaxRetry;

        Assert.Equal((0, 2), (byDefault, set));
    }

    [Fact]
    public async Task A_gateway_subscribes_to_broadcasts()
    {
        await using var gateway = new DaprAppFactory<Gateway.GatewayOptions>("gateway-7");

        var subscription = Assert.Single(await SubscriptionsAsync(gateway.CreateClient()));

        Assert.Equal((DaprNames.PubSub, DaprNames.BroadcastsTopic, InternalRoutes.Broadcasts),
            (Text(subscription, "pubsubName"), Text(subscription, "topic"), "/" + Text(subscription, "route")?.TrimStart('/')));
    }

    [Fact]
    public async Task The_push_endpoint_refuses_a_call_without_the_app_api_token()
    {
        await using var gateway = new DaprAppFactory<Gateway.GatewayOptions>("gateway-1");
        var http = gateway.CreateClient();

        using var anonymous = await http.SendAsync(PushRequest(token: null));
        using var wrong = await http.SendAsync(PushRequest(token: "not-the-token"));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymous.StatusCode, wrong.StatusCode));
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_push_endpoint_with_the_token_reports_recipients_without_a_connection_as_failed()
    {
        await using var gateway = new DaprAppFactory<Gateway.GatewayOptions>("gateway-1");

        using var response = await gateway.CreateClient().SendAsync(PushRequest(DaprAppFactory<Gateway.GatewayOptions>.AppApiToken));

        response.EnsureSuccessStatusCode();
        var result = PushResult.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(["nobody", "nobody-else"], result.FailedRecipients);
        Assert.Equal(0, result.DeliveredConnections);
    }

    [Fact]
    public async Task Logic_internal_commands_refuse_a_call_without_the_app_api_token()
    {
        await using var logic = new DaprAppFactory<Logic.LogicOptions>("logic");
        using var request = new HttpRequestMessage(HttpMethod.Post, InternalRoutes.Send)
        {
            Content = Protobuf(new SendCommand { SessionId = "g_x", ClientMsgId = "c1", Content = "hi" }),
        };
        request.Headers.Add(DaprNames.UserHeader, "mallory");

        using var response = await logic.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("PUT", "/actors/SessionActor/g_x/method/Send")]
    [InlineData("DELETE", "/actors/SessionActor/g_x")]
    [InlineData("GET", "/dapr/config")]
    public async Task Logic_refuses_every_route_the_sidecar_calls_without_its_token_even_the_SDKs_actor_routes(string method, string path)
    {
        await using var logic = new DaprAppFactory<Logic.LogicOptions>("logic");
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("\"AA==\"", Encoding.UTF8, "application/json") };

        using var response = await logic.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await logic.CreateClient().GetAsync("/healthz")).StatusCode); // probes carry no token
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_push_event_that_is_not_a_push_event_goes_to_the_dead_letter_topic_and_is_dropped(bool binary)
    {
        await using var dapr = new FakeDaprCluster(new FakeDaprOptions { PubSubs = { DaprNames.PubSub } });
        var sidecar = await dapr.StartSidecarAsync("task");
        await using var task = new DaprAppFactory<TaskService.TaskOptions>("task", sidecar);
        byte[] poison = [0xff, 0xff, 0xff, 0x01];
        var data = binary
            ? $"\"data_base64\":\"{Convert.ToBase64String(poison)}\",\"datacontenttype\":\"application/octet-stream\""
            : "\"data\":{\"hello\":\"world\"},\"datacontenttype\":\"application/json\"";

        var status = await DeliverAsync(task.CreateClient(), data);

        Assert.Equal("DROP", status);
        var kept = Assert.Single(dapr.Published);
        Assert.Equal((DaprNames.PubSub, DaprNames.PushEventsDeadLetterTopic, DaprNames.ProtobufContentType), (kept.PubSub, kept.Topic, kept.ContentType));
        Assert.Equal(binary ? poison : """{"hello":"world"}"""u8.ToArray(), kept.Data);
    }

    [Fact]
    public async Task A_push_event_that_is_not_a_push_event_is_retried_while_the_dead_letter_topic_cannot_be_reached()
    {
        await using var task = new DaprAppFactory<TaskService.TaskOptions>("task");
        var data = $"\"data_base64\":\"{Convert.ToBase64String([0xff, 0xff, 0xff, 0x01])}\",\"datacontenttype\":\"application/octet-stream\"";

        Assert.Equal("RETRY", await DeliverAsync(task.CreateClient(), data)); // no sidecar listens: kept, not lost
    }

    [Fact]
    public async Task A_push_event_whose_members_cannot_be_read_is_retried()
    {
        await using var task = new DaprAppFactory<TaskService.TaskOptions>("task");
        var pushEvent = new PushEvent { Message = new Push { SessionId = "g_1", Seq = 1, From = "alice", Content = "hi" }, MembersVersion = 1 };
        var data = $"\"data_base64\":\"{Convert.ToBase64String(pushEvent.ToByteArray())}\",\"datacontenttype\":\"application/octet-stream\"";

        // No sidecar listens, so logic (the members) cannot be reached: a transient failure.
        var status = await DeliverAsync(task.CreateClient(), data);

        Assert.Equal("RETRY", status);
    }

    private static async Task<string?> DeliverAsync(HttpClient http, string data)
    {
        var cloudEvent = $$"""
            {"specversion":"1.0","id":"e1","source":"logic","type":"com.dapr.event.sent","pubsubname":"pubsub","topic":"push-events",{{data}}}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, InternalRoutes.PushEvents)
        {
            Content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add(DaprNames.AppApiTokenHeader, DaprAppFactory<TaskService.TaskOptions>.AppApiToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString();
    }

    private static HttpRequestMessage PushRequest(string? token)
    {
        var batch = new PushBatch { Message = new Push { SessionId = "g_1", Seq = 1, From = "alice", Content = "hi" }, Recipients = { "nobody", "nobody-else" } };
        var request = new HttpRequestMessage(HttpMethod.Post, InternalRoutes.Push) { Content = Protobuf(batch) };
        if (token is not null)
        {
            request.Headers.Add(DaprNames.AppApiTokenHeader, token);
        }

        return request;
    }

    private static ByteArrayContent Protobuf(IMessage message) =>
        new(message.ToByteArray()) { Headers = { ContentType = new MediaTypeHeaderValue(DaprNames.ProtobufContentType) } };

    private static async Task<JsonElement[]> SubscriptionsAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync("/dapr/subscribe"));
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>daprd reads these names case-insensitively (Go's encoding/json); the SDK writes them camelCase.</summary>
    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
}
