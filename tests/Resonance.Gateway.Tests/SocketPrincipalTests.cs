using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Resonance.Gateway.Auth;

namespace Resonance.Gateway.Tests;

/// <summary>
/// A socket's request lasts as long as its connection, so its principal keeps only what the connection uses (the
/// username, the expiry, the roles), not the validated token behind the claims.
/// </summary>
public sealed class SocketPrincipalTests
{
    [Fact]
    public async Task A_socket_keeps_the_username_expiry_and_roles_and_not_the_token()
    {
        var auth = Options.Create(new AuthOptions { SigningKey = "socket-principal-tests-signing-key-0123456789" });
        var keys = new SigningKeyProvider(auth);
        var token = new DevTokenIssuer(keys, auth, new FakeTimeProvider(DateTimeOffset.UtcNow)).Issue("alice", ["admin"]);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = auth.Value.Issuer,
            ValidAudience = auth.Value.Audience,
            IssuerSigningKey = keys.Key,
            NameClaimType = GatewayClaims.Username,
            RoleClaimType = GatewayClaims.Role,
        });
        Assert.True(validated.IsValid);
        var principal = new ClaimsPrincipal(validated.ClaimsIdentity);

        var kept = AuthenticationExtensions.SocketPrincipal(principal);

        Assert.Equal("alice", kept.Identity?.Name);
        Assert.True(kept.IsInRole("admin"));
        Assert.Equal(principal.FindFirst(GatewayClaims.Expiry)?.Value, kept.FindFirst(GatewayClaims.Expiry)?.Value);
        Assert.Equal([GatewayClaims.Expiry, GatewayClaims.Role, GatewayClaims.Username], kept.Claims.Select(c => c.Type).Order(StringComparer.Ordinal));

        // Exactly a ClaimsIdentity: the validated one (CaseSensitiveClaimsIdentity) refers to the token it came from.
        Assert.IsType<CaseSensitiveClaimsIdentity>(principal.Identity);
        Assert.True(Assert.IsType<ClaimsIdentity>(kept.Identity).IsAuthenticated);
    }
}
