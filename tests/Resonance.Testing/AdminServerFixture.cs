namespace Resonance.Testing;

/// <summary>A shared server whose dev tokens may carry the admin role, for tests of the admin API.</summary>
public sealed class AdminServerFixture : ServerFixture
{
    protected override IReadOnlyDictionary<string, string?>? Settings => StandaloneServer.DevAdminTokens;
}
