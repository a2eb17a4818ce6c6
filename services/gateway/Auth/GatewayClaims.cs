namespace Resonance.Gateway.Auth;

public static class GatewayClaims
{
    /// <summary>The claim holding the username.</summary>
    public const string Username = "sub";

    public const string Role = "role";

    /// <summary>The token's expiry, in seconds since the Unix epoch.</summary>
    public const string Expiry = "exp";

    /// <summary>The role the admin API (stats, connections, broadcast) requires.</summary>
    public const string AdminRole = "admin";

    public const string AdminPolicy = "admin";
}
