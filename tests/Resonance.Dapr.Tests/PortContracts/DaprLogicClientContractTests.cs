using Resonance.Gateway;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Dapr engine's logic client (invocation of app-id logic, sessions as actors) held to the contract, through the fake sidecar.</summary>
public sealed class DaprLogicClientContractTests : LogicClientContract
{
    private DaprCluster _cluster = null!;

    protected override ILogicClient Logic => _cluster.Gateway(1).GetRequiredService<ILogicClient>();

    public override async Task InitializeAsync() => _cluster = await DaprCluster.StartAsync(gateways: 1);

    public override async Task DisposeAsync() => await _cluster.DisposeAsync();
}
