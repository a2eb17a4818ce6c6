using Resonance.TaskService.Dispatch;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Dapr engine's gateway push (task invoking the gateway's app-id through its sidecar) held to the contract.</summary>
public sealed class DaprGatewayPushContractTests : GatewayPushContract
{
    private DaprCluster _cluster = null!;

    protected override IGatewayPushClient Pushes => _cluster.Instances("task").Single().GetRequiredService<IGatewayPushClient>();

    protected override string GatewayId => "gateway-1";

    protected override Task<TestSocket> ConnectAsync(string username) => ClusterClients.ConnectAsync(_cluster.Gateway(1), username);

    public override async Task InitializeAsync() => _cluster = await DaprCluster.StartAsync(gateways: 1);

    public override async Task DisposeAsync() => await _cluster.DisposeAsync();
}
