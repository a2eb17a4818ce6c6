namespace Resonance.Contracts;

/// <summary>
/// One user's routes in the route store (key <see cref="KeyOf"/>), JSON: the gateways holding a
/// connection of the user, each with the time its entry lapses unless that gateway refreshes it.
/// Written by gateways (etag compare-and-set), read by task.
/// </summary>
public sealed class UserRoutesRecord
{
    /// <summary>Gateway id → expiry, Unix milliseconds.</summary>
    public Dictionary<string, long> Gateways { get; init; } = new(StringComparer.Ordinal);

    private const string KeyPrefix = "user-";

    public static string KeyOf(string username) => KeyPrefix + username;

    public static string UsernameOf(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal) ? key[KeyPrefix.Length..] : key;
}
