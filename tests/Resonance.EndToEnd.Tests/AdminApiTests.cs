using System.Net;
using System.Text.Json;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class AdminApiTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    private StandaloneServer Server => fixture.Server;

    [Fact]
    public async Task Health_is_anonymous_and_reports_the_gateway()
    {
        using var response = await Server.Http.GetAsync("/api/v1/health");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.Equal("gateway-1", body.RootElement.GetProperty("checks").GetProperty("gateway").GetProperty("data").GetProperty("gatewayId").GetString());
    }

    [Fact]
    public async Task The_admin_api_needs_the_admin_role()
    {
        var userToken = await Server.GetTokenAsync(Names.User("user"));

        using var stats = await Server.SendAsync(HttpMethod.Get, "/api/v1/gateway/stats", null, userToken);
        using var connections = await Server.SendAsync(HttpMethod.Get, "/api/v1/gateway/connections", null, userToken);
        using var broadcast = await Server.SendAsync(HttpMethod.Post, "/api/v1/gateway/broadcast", new BroadcastRequest { Content = "hi" }, userToken);
        using var anonymous = await Server.SendAsync(HttpMethod.Get, "/api/v1/gateway/stats", null, token: null);

        Assert.Equal(HttpStatusCode.Forbidden, stats.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, connections.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, broadcast.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Stats_and_connections_show_who_is_connected()
    {
        var adminToken = await Server.GetTokenAsync(Names.User("admin"), "admin");
        var bob = Names.User("bob");
        await using var bobPhone = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(bob));
        await using var bobLaptop = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(bob), Contracts.Subprotocols.Json);

        using var statsResponse = await Server.SendAsync(HttpMethod.Get, "/api/v1/gateway/stats", null, adminToken);
        using var stats = JsonDocument.Parse(await statsResponse.Content.ReadAsStringAsync());
        using var connectionsResponse = await Server.SendAsync(HttpMethod.Get, "/api/v1/gateway/connections", null, adminToken);
        using var connections = JsonDocument.Parse(await connectionsResponse.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, statsResponse.StatusCode);
        Assert.True(stats.RootElement.GetProperty("connections").GetInt32() >= 2);
        Assert.True(stats.RootElement.GetProperty("connectionsAccepted").GetInt64() >= 2);
        var bobs = connections.RootElement.EnumerateArray().Where(c => c.GetProperty("username").GetString() == bob).ToList();
        Assert.Equal(
            new[] { bobPhone.Welcome.ConnectionId, bobLaptop.Welcome.ConnectionId }.Order(StringComparer.Ordinal),
            bobs.Select(c => c.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(["Json", "Protobuf"], bobs.Select(c => c.GetProperty("encoding").GetString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Broadcast_reaches_every_connection_in_either_encoding()
    {
        var admin = Names.User("admin");
        var adminToken = await Server.GetTokenAsync(admin, "admin");
        await using var one = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(Names.User("one")));
        await using var two = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(Names.User("two")), Contracts.Subprotocols.Json);

        var response = await Server.PostAsync<BroadcastResponse>("/api/v1/gateway/broadcast", new BroadcastRequest { Content = "maintenance at noon" }, adminToken);

        Assert.True(response.Connections >= 2);
        foreach (var socket in new[] { one, two })
        {
            var broadcast = (await socket.ReceiveUntilAsync(WsPacket.BodyOneofCase.Broadcast)).Broadcast;
            Assert.Equal(("maintenance at noon", admin), (broadcast.Content, broadcast.From));
        }
    }

    [Fact]
    public async Task Bad_requests_get_problem_details()
    {
        using var badName = await Server.SendAsync(HttpMethod.Post, "/api/v1/dev/token", new DevTokenRequest { Username = "no spaces please" }, token: null);
        var token = await Server.GetTokenAsync(Names.User("alice"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions")
        {
            Content = new StringContent("{\"kind\": 5, ", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var badJson = await Server.Http.SendAsync(request);

        foreach (var response in new[] { badName, badJson })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("invalid_argument", problem.RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Metrics_are_served_for_prometheus()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));
        var session = await Server.CreateSessionAsync(token, Contracts.SessionKinds.Group, Names.User("bob"));
        await using var socket = await TestSocket.ConnectAsync(Server, token);
        await MessagingTests.SendAll(socket, session, "measured", 2);
        await socket.ReceivePushesAsync(2);

        var text = await Server.Http.GetStringAsync("/metrics");

        foreach (var name in new[] { "resonance_gateway_connections", "resonance_gateway_frames_sent", "resonance_logic_send_duration_milliseconds_bucket", "resonance_task_push_delay_milliseconds_bucket", "resonance_task_batches" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_without_being_read_whole()
    {
        var big = new string('a', 3 * 1024 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dev/token")
        {
            Content = new PushStreamContentWithoutLength(System.Text.Encoding.UTF8.GetBytes("{\"username\":\"" + big + "\"}")),
        };
        using var response = await Server.Http.SendAsync(request);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 1048576 bytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_username_with_a_trailing_newline_is_refused()
    {
        using var response = await Server.SendAsync(HttpMethod.Post, "/api/v1/dev/token", new DevTokenRequest { Username = "alice\n" }, token: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_query_string_that_does_not_bind_gets_a_problem_body()
    {
        var token = await Server.GetTokenAsync(Names.User("alice"));

        using var response = await Server.SendAsync(HttpMethod.Get, "/api/v1/sessions/g_x/messages?afterSeq=abc", null, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_user_who_left_is_forgotten_by_the_route_table()
    {
        var alice = Names.User("alice");
        var routes = Server.GetRequiredService<Standalone.Local.InMemoryRouteTable>();
        var socket = await TestSocket.ConnectAsync(Server, await Server.GetTokenAsync(alice));
        Assert.True((await routes.GetGatewaysAsync([alice], CancellationToken.None)).ContainsKey(alice));

        await socket.CloseAsync();
        await socket.DisposeAsync();

        await Eventually.TrueAsync(() => !routes.GetGatewaysAsync([alice], CancellationToken.None).Result.ContainsKey(alice), "alice's route is withdrawn");
    }
}
