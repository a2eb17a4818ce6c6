using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Resonance.Logic.Sessions;

/// <summary>How session ids are made and checked.</summary>
public static partial class SessionIds
{
    public static bool IsValid(string? sessionId) => !string.IsNullOrEmpty(sessionId) && Pattern().IsMatch(sessionId);

    public static string NewGroup() => "g_" + Guid.NewGuid().ToString("N");

    /// <summary>The same two people always share one direct session, whoever creates it.</summary>
    public static string ForDirect(string a, string b)
    {
        var (first, second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(first + "\n" + second));
        return "d_" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    [GeneratedRegex("^[A-Za-z0-9_\\-]{1,64}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
