namespace Resonance.Testing;

/// <summary>Usernames unique to one test, so tests can share a server.</summary>
public static class Names
{
    public static string User(string name) => $"{name}-{Guid.NewGuid().ToString("N")[..8]}";
}
