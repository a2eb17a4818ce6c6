using System.Net;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

public sealed class ProductionAuthTests
{
    private const string Key = "a-production-key-that-is-long-enough-0123456789";

    [Fact]
    public async Task Without_dev_tokens_only_tokens_from_the_configured_issuer_and_key_are_accepted()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:EnableDevTokens"] = "false",
            ["Auth:SigningKey"] = Key,
            ["Auth:Issuer"] = "https://id.example",
            ["Auth:Audience"] = "chat",
        });
        var alice = Names.User("alice");

        using var devToken = await server.SendAsync(HttpMethod.Post, "/api/v1/dev/token", new DevTokenRequest { Username = alice }, token: null);
        await using var socket = await TestSocket.ConnectAsync(server, Token(alice, "https://id.example", "chat", Key));
        using var wrongIssuer = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, Token(alice, "https://evil.example", "chat", Key));
        using var wrongKey = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, Token(alice, "https://id.example", "chat", Key + "-other"));
        using var badUsername = await server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, Token("not a name", "https://id.example", "chat", Key));

        Assert.Equal(HttpStatusCode.NotFound, devToken.StatusCode);
        Assert.Equal(alice, socket.Welcome.Username);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongIssuer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badUsername.StatusCode);
    }

    private static string Token(string username, string issuer, string audience, string key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", username)]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });
}
