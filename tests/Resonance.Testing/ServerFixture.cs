using Xunit;

namespace Resonance.Testing;

/// <summary>One standalone server shared by the tests of a class; tests keep apart by using their own users and sessions.</summary>
public class ServerFixture : IAsyncLifetime
{
    private StandaloneServer? _server;

    public StandaloneServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>Configuration the server starts with, over the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync() => _server = await StandaloneServer.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
