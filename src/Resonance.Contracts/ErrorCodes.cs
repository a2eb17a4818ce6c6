namespace Resonance.Contracts;

/// <summary>Values of <c>Error.code</c> on the socket and of the problem type suffix over HTTP.</summary>
public static class ErrorCodes
{
    public const string InvalidArgument = "invalid_argument";
    public const string BadPacket = "bad_packet";
    public const string SessionNotFound = "session_not_found";

    /// <summary>Over HTTP only (403): e.g. the admin role asked of dev tokens that may not carry it.</summary>
    public const string Forbidden = "forbidden";
    public const string Unavailable = "unavailable";

    /// <summary>Too many commands or requests for now (HTTP 429); try again after the retry-after the answer carries.</summary>
    public const string RateLimited = "rate_limited";
    public const string Internal = "internal";
}
