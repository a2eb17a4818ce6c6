using Microsoft.AspNetCore.Http;

namespace Resonance.Gateway.Api;

/// <summary>The headers that keep the chat page to itself: what it may load, who may frame it, what leaves in a Referer.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The page is one stylesheet and one module script from this origin, and talks to this origin only (REST and
    /// the WebSocket: <c>'self'</c> takes ws: and wss: of the same host). No inline script or style, no eval, no
    /// plug-ins, no base or form targets elsewhere, and no one may frame it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}
