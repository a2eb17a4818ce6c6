using Dapr.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.FakeDapr;
using Resonance.Gateway;
using Resonance.Gateway.Dapr;
using Resonance.Gateway.Routing;
using Resonance.Hosting.Dapr;
using Resonance.TaskService.Dapr;
using Resonance.TaskService.Dispatch;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>
/// The Dapr engine's route store (each gateway through its own sidecar, the real Dapr SDK) and route
/// lookup (task's sidecar) held to the route store contract, against the fake sidecar's state store.
/// </summary>
public sealed class DaprRouteStoreContractTests : RouteStoreContract
{
    private readonly Dictionary<string, IRouteStore> _stores = new(StringComparer.Ordinal);
    private readonly List<DaprClient> _clients = [];
    private FakeDaprCluster _dapr = null!;
    private IRouteLookup _lookup = null!;

    protected override IRouteLookup Lookup => _lookup;

    protected override IRouteStore StoreOf(string gatewayId) => _stores[gatewayId];

    public override async Task InitializeAsync()
    {
        _dapr = new FakeDaprCluster(new FakeDaprOptions { StateStores = [new FakeStateStore(DaprNames.RouteStore, KeyPrefix.Name)], Time = Time });
        var gatewayOptions = Options.Create(new GatewayOptions { RouteRefreshInterval = Ttl / 3 });
        foreach (var gatewayId in new[] { "gateway-1", "gateway-2" })
        {
            var client = await ClientAsync(gatewayId);
            var readiness = new SidecarReadiness(client, new DaprSidecarOptions { HttpEndpoint = new Uri("http://unused"), GrpcEndpoint = new Uri("http://unused") }, NullLogger<SidecarReadiness>.Instance);
            await readiness.StartAsync(CancellationToken.None);
            _stores[gatewayId] = new StateStoreRouteStore(client, readiness, gatewayOptions, Time);
        }

        _lookup = new StateStoreRouteLookup(await ClientAsync("task"), Time);
    }

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _dapr.DisposeAsync();
    }

    private async Task<DaprClient> ClientAsync(string appId)
    {
        var sidecar = await _dapr.StartSidecarAsync(appId);
        var client = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString()).Build();
        _clients.Add(client);
        return client;
    }
}
