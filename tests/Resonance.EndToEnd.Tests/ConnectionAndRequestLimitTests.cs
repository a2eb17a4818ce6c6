using System.Net;
using System.Text.Json;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Limits;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>Limits on connections per user, sessions created per user and REST requests. Buckets refill too slowly to matter within a test.</summary>
public sealed class ConnectionAndRequestLimitTests
{
    [Fact]
    public async Task An_upgrade_over_the_users_connection_limit_is_refused_with_429_and_taken_again_once_one_closes()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Gateway:MaxConnectionsPerUser"] = "2" });
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await server.GetTokenAsync(alice);
        await using var first = await TestSocket.ConnectAsync(server, aliceToken);
        await using var second = await TestSocket.ConnectAsync(server, aliceToken);

        var refused = await RawHttpResponse.UpgradeAsync(server.BaseAddress, aliceToken);
        await using var bobSocket = await TestSocket.ConnectAsync(server, await server.GetTokenAsync(bob));
        await first.CloseAsync();
        var slots = server.GetRequiredService<ConnectionSlots>();
        await Eventually.TrueAsync(() => slots.HeldBy(alice) == 1, "alice's first connection gave its slot back");
        await using var third = await TestSocket.ConnectAsync(server, aliceToken);

        Assert.Equal(429, refused.Status);
        Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.RateLimited, JsonDocument.Parse(refused.Body).RootElement.GetProperty("code").GetString());
        Assert.Equal(alice, third.Welcome.Username);
        Assert.Equal(2, slots.HeldBy(alice));
        Assert.Equal(1, slots.HeldBy(bob));
    }

    [Fact]
    public async Task Sessions_created_past_the_users_limit_get_429_rate_limited_with_retry_after()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:SessionCreateLimit"] = "2",
            ["Gateway:SessionCreatePeriod"] = "01:00:00",
        });
        var (alice, bob) = (Names.User("alice"), Names.User("bob"));
        var aliceToken = await server.GetTokenAsync(alice);
        var bobToken = await server.GetTokenAsync(bob);
        await server.CreateSessionAsync(aliceToken, SessionKinds.Group, bob);
        await server.CreateSessionAsync(aliceToken, SessionKinds.Direct, bob);

        using var refused = await server.SendAsync(HttpMethod.Post, "/api/v1/sessions", new CreateSessionRequest { Kind = SessionKinds.Group }, aliceToken);
        var bobsOwn = await server.CreateSessionAsync(bobToken, SessionKinds.Group, alice);
        var alicesList = await server.GetAsync<ListSessionsResponse>("/api/v1/sessions", aliceToken);

        // Two sessions an hour: one every 30 minutes.
        await AssertRateLimitedAsync(refused, "1800");
        Assert.NotEmpty(bobsOwn);
        Assert.Equal(3, alicesList.Sessions.Count);
    }

    [Fact]
    public async Task REST_requests_past_the_limit_get_429_with_retry_after_per_user_and_per_address_without_a_token()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway:RestRequestRate"] = "1",
            ["Gateway:RestRequestBurst"] = "3",
            ["Gateway:RestRatePeriod"] = "01:00:00",
        });

        // The token endpoint is anonymous: these take two of this address's three requests.
        var aliceToken = await server.GetTokenAsync(Names.User("alice"));
        var bobToken = await server.GetTokenAsync(Names.User("bob"));
        var aliceStatuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var listed = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, aliceToken);
            aliceStatuses.Add(listed.StatusCode);
        }

        using var aliceRefused = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, aliceToken);
        using var bobListed = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, bobToken);
        var carolToken = await server.GetTokenAsync(Names.User("carol"));
        using var anonymousRefused = await server.SendAsync(HttpMethod.Post, "/api/v1/dev/token", new DevTokenRequest { Username = "dave" }, token: null);
        var health = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var checkedHealth = await server.Http.GetAsync("/api/v1/health");
            health.Add(checkedHealth.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], aliceStatuses);
        await AssertRateLimitedAsync(aliceRefused, "3600");
        Assert.Equal(HttpStatusCode.OK, bobListed.StatusCode);
        Assert.NotEmpty(carolToken);
        await AssertRateLimitedAsync(anonymousRefused, "3600");
        Assert.All(health, status => Assert.Equal(HttpStatusCode.OK, status));
    }

    private static async Task AssertRateLimitedAsync(HttpResponseMessage response, string retryAfterSeconds)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([retryAfterSeconds], response.Headers.GetValues("Retry-After"));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(ErrorCodes.RateLimited, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
    }
}
