using Resonance.TaskService.Dispatch;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Local engine's gateway push (a direct call into the one gateway) held to the contract.</summary>
public sealed class LocalGatewayPushContractTests : GatewayPushContract
{
    private StandaloneServer _server = null!;

    protected override IGatewayPushClient Pushes => _server.GetRequiredService<IGatewayPushClient>();

    protected override string GatewayId => "gateway-1";

    protected override async Task<TestSocket> ConnectAsync(string username) => await TestSocket.ConnectAsync(_server, await _server.GetTokenAsync(username));

    public override async Task InitializeAsync() => _server = await StandaloneServer.StartAsync();

    public override async Task DisposeAsync() => await _server.DisposeAsync();
}
