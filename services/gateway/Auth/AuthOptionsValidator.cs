using System.Text;
using Microsoft.Extensions.Options;

namespace Resonance.Gateway.Auth;

/// <summary>Checks at start-up that tokens can be validated at all: a long enough key, or an authority, or dev tokens.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrEmpty(options.SigningKey) && Encoding.UTF8.GetByteCount(options.SigningKey) < SigningKeyProvider.MinKeyBytes)
        {
            return ValidateOptionsResult.Fail($"Auth:SigningKey must be at least {SigningKeyProvider.MinKeyBytes} bytes.");
        }

        if (string.IsNullOrEmpty(options.SigningKey) && string.IsNullOrEmpty(options.Authority) && !options.EnableDevTokens)
        {
            return ValidateOptionsResult.Fail("Set Auth:SigningKey or Auth:Authority (or Auth:EnableDevTokens for development).");
        }

        return ValidateOptionsResult.Success;
    }
}
