using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Resonance.Gateway.Limits;

/// <summary>
/// Which pages may open WebSockets here (<see cref="GatewayOptions.AllowedOrigins"/>). A browser sends the page's
/// <c>Origin</c> with every upgrade and lets any page open a socket to any host, so without this check another
/// site's page could talk to the gateway with a token it got hold of. Clients that are not browsers send no
/// <c>Origin</c> and are taken.
/// </summary>
public sealed class OriginAllowList
{
    private readonly HashSet<string> _allowed;

    public OriginAllowList(IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in options.Value.AllowedOrigins)
        {
            _allowed.Add(Normalize(origin) ?? throw new ArgumentException($"'{origin}' is not an origin.", nameof(options)));
        }
    }

    /// <summary>Whether an upgrade with this <c>Origin</c> header may go on: always when the list is empty or the header absent.</summary>
    public bool Allows(StringValues origin)
    {
        if (_allowed.Count == 0 || StringValues.IsNullOrEmpty(origin))
        {
            return true;
        }

        // One origin per request; "null" (a sandboxed or file: page) and anything unparsable are never listed.
        return origin.Count == 1 && Normalize(origin[0]) is { } normalized && _allowed.Contains(normalized);
    }

    /// <summary>Whether <paramref name="origin"/> is an http or https origin: scheme, host and port, no path, query or user.</summary>
    public static bool IsValid(string? origin) => Normalize(origin) is not null;

    /// <summary>Scheme and host in lower case, the port only when it is not the scheme's default; null when not an origin.</summary>
    private static string? Normalize(string? origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || origin.AsSpan().TrimEnd('/').Count('/') != 2)
        {
            return null;
        }

        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
