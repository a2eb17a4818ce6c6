using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Resonance.Gateway.Auth;

/// <summary>The HS256 key tokens are signed and validated with: configured, or random for dev tokens.</summary>
public sealed class SigningKeyProvider(IOptions<AuthOptions> options)
{
    public const int MinKeyBytes = 32;

    private readonly Lazy<SymmetricSecurityKey> _key = new(() => Create(options.Value));

    public SymmetricSecurityKey Key => _key.Value;

    // The options were checked at start-up (AuthOptionsValidator).
    private static SymmetricSecurityKey Create(AuthOptions auth) => string.IsNullOrEmpty(auth.SigningKey)
        ? new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(MinKeyBytes))
        : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(auth.SigningKey));
}
