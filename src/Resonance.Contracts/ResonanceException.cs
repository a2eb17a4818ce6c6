namespace Resonance.Contracts;

/// <summary>A command was rejected for a reason the caller can act on; <see cref="Code"/> is one of <see cref="ErrorCodes"/>.</summary>
public sealed class ResonanceException : Exception
{
    public ResonanceException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <param name="retryAfter">With <see cref="ErrorCodes.RateLimited"/>: how long to wait before trying again.</param>
    public ResonanceException(string code, string message, TimeSpan? retryAfter)
        : this(code, message)
    {
        RetryAfter = retryAfter;
    }

    public ResonanceException()
        : this(ErrorCodes.Internal, "Internal error.")
    {
    }

    public ResonanceException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    public ResonanceException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.Internal;
    }

    public string Code { get; }

    /// <summary>How long to wait before trying again, when the refusal said (<see cref="ErrorCodes.RateLimited"/>); null otherwise.</summary>
    public TimeSpan? RetryAfter { get; }
}
