using Xunit;

namespace Resonance.Testing;

/// <summary>One standalone server shared by the tests of a class; tests keep apart by using their own users and sessions.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private StandaloneServer? _server;

    public StandaloneServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await StandaloneServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
