namespace Resonance.Contracts;

/// <summary>
/// The one map between <see cref="ErrorCodes"/> and HTTP status codes, used where an error crosses
/// HTTP either way: the public REST API, and the services' calls to each other.
/// </summary>
public static class ErrorStatus
{
    public static int ToHttpStatus(string code) => code switch
    {
        ErrorCodes.InvalidArgument or ErrorCodes.BadPacket => 400,
        ErrorCodes.Forbidden => 403,
        ErrorCodes.SessionNotFound => 404,
        ErrorCodes.RateLimited => 429,
        ErrorCodes.Unavailable => 503,
        _ => 500,
    };

    /// <summary>The code for a status when the answer named none (or one this build does not know).</summary>
    public static string FromHttpStatus(int status) => status switch
    {
        400 => ErrorCodes.InvalidArgument,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.SessionNotFound,
        429 => ErrorCodes.RateLimited,
        408 or 502 or 503 or 504 => ErrorCodes.Unavailable,
        _ => ErrorCodes.Internal,
    };

    /// <summary>Whether <paramref name="code"/> is one of <see cref="ErrorCodes"/>.</summary>
    public static bool IsKnown(string? code) => code is ErrorCodes.InvalidArgument or ErrorCodes.BadPacket or ErrorCodes.SessionNotFound
        or ErrorCodes.Forbidden or ErrorCodes.RateLimited or ErrorCodes.Unavailable or ErrorCodes.Internal;
}
