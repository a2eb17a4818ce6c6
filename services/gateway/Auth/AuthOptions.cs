using System.ComponentModel.DataAnnotations;

namespace Resonance.Gateway.Auth;

/// <summary>How the gateway validates tokens. Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Issuer tokens must carry (and dev tokens get). Default <c>resonance</c>.</summary>
    [Required]
    public string Issuer { get; set; } = "resonance";

    /// <summary>Audience tokens must carry (and dev tokens get). Default <c>resonance</c>.</summary>
    [Required]
    public string Audience { get; set; } = "resonance";

    /// <summary>
    /// HS256 key, at least 32 bytes of UTF-8. When empty and <see cref="EnableDevTokens"/> is on, a
    /// random key is made at start (tokens then do not survive a restart).
    /// </summary>
    public string SigningKey { get; set; } = string.Empty;

    /// <summary>
    /// An OpenID Connect authority whose published keys validate tokens, instead of <see cref="SigningKey"/>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Serves <c>POST /api/v1/dev/token</c>, which signs a token for any username. Development only. Default off.</summary>
    public bool EnableDevTokens { get; set; }

    /// <summary>
    /// Lets <c>POST /api/v1/dev/token</c> sign tokens with the admin role. The endpoint is anonymous, so with
    /// this on anyone who reaches it is an administrator: never in a shared deployment. Default off.
    /// </summary>
    public bool AllowDevAdminTokens { get; set; }

    /// <summary>Lifetime of dev tokens. Default 12 h.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How far past its expiry (and before its not-before time) a token is still taken, for clocks that
    /// disagree. A socket is closed (4102) when its token's expiry plus this has passed. Default 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
