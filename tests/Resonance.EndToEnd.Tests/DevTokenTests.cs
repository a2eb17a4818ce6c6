using System.Net;
using System.Text.Json;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class DevTokenTests
{
    [Fact]
    public async Task Dev_tokens_never_carry_the_admin_role_unless_dev_admin_tokens_are_allowed()
    {
        await using var server = await StandaloneServer.StartAsync();

        using var admin = await RequestTokenAsync(server, "admin");
        using var upperCase = await RequestTokenAsync(server, "reader", "Admin");
        var plain = await server.GetTokenAsync(Names.User("alice"), "reader");
        using var sessions = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, plain);

        foreach (var refused in new[] { admin, upperCase })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(ErrorCodes.Forbidden, problem.RootElement.GetProperty("code").GetString());
            Assert.Contains("Auth:AllowDevAdminTokens", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
    }

    [Fact]
    public async Task With_dev_admin_tokens_allowed_a_dev_token_can_carry_the_admin_role()
    {
        await using var server = await StandaloneServer.StartAsync(StandaloneServer.DevAdminTokens);
        var admin = await server.GetTokenAsync(Names.User("operator"), "admin");

        using var stats = await server.SendAsync(HttpMethod.Get, "/api/v1/gateway/stats", null, admin);

        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(StandaloneServer server, params string[] roles)
    {
        var request = new DevTokenRequest { Username = Names.User("mallory") };
        request.Roles.AddRange(roles);
        return server.SendAsync(HttpMethod.Post, "/api/v1/dev/token", request, token: null);
    }
}
