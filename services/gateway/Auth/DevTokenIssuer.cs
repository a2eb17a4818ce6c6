using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Resonance.Gateway.Auth;

/// <summary>Signs development tokens: <c>sub</c> is the username, <c>role</c> the roles asked for.</summary>
public sealed class DevTokenIssuer(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(string username, IEnumerable<string> roles)
    {
        var auth = options.Value;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, username) };
        foreach (var role in roles)
        {
            claims.Add(new Claim(GatewayClaims.Role, role));
        }

        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + auth.DevTokenLifetime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
