using System.Text.RegularExpressions;

namespace Resonance.Contracts;

/// <summary>The one rule for what a username may be, shared by every service.</summary>
public static partial class Usernames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? username) =>
        !string.IsNullOrEmpty(username) && username.Length <= MaxLength && Pattern().IsMatch(username);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.\\-]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
