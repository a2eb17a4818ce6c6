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

    private static SymmetricSecurityKey Create(AuthOptions auth)
    {
        if (!string.IsNullOrEmpty(auth.SigningKey))
        {
            var bytes = Encoding.UTF8.GetBytes(auth.SigningKey);
            if (bytes.Length < MinKeyBytes)
            {
                throw new OptionsValidationException(nameof(AuthOptions), typeof(AuthOptions), [$"Auth:SigningKey must be at least {MinKeyBytes} bytes."]);
            }

            return new SymmetricSecurityKey(bytes);
        }

        if (auth.EnableDevTokens)
        {
            return new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(MinKeyBytes));
        }

        throw new OptionsValidationException(nameof(AuthOptions), typeof(AuthOptions), ["Set Auth:SigningKey or Auth:Authority (or enable dev tokens)."]);
    }
}
