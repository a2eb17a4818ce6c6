using Resonance.Gateway;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Local engine's logic client (direct calls into SQLite-backed sessions) held to the contract.</summary>
public sealed class LocalLogicClientContractTests : LogicClientContract
{
    private StandaloneServer _server = null!;

    protected override ILogicClient Logic => _server.GetRequiredService<ILogicClient>();

    public override async Task InitializeAsync() => _server = await StandaloneServer.StartAsync();

    public override async Task DisposeAsync() => await _server.DisposeAsync();
}
