namespace Resonance.Testing;

/// <summary>A case of a <see cref="Fuzz"/> run failed: the message names its seed, the inner exception the (shrunk) cause.</summary>
public sealed class FuzzFailureException : Exception
{
    public FuzzFailureException()
    {
    }

    public FuzzFailureException(string message)
        : base(message)
    {
    }

    public FuzzFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
