namespace Resonance.Logic.Dapr;

/// <summary>One page of a user's session ids.</summary>
public sealed class UserSessionsQuery
{
    public string AfterSessionId { get; set; } = string.Empty;

    public int Limit { get; set; }
}
