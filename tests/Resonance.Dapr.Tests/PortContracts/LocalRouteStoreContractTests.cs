using Microsoft.Extensions.Options;
using Resonance.Gateway.Routing;
using Resonance.Standalone.Local;
using Resonance.TaskService.Dispatch;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Local engine's in-memory route table held to the route store contract.</summary>
public sealed class LocalRouteStoreContractTests : RouteStoreContract
{
    private InMemoryRouteTable _table = null!;

    protected override IRouteLookup Lookup => _table;

    protected override IRouteStore StoreOf(string gatewayId) => _table;

    public override Task InitializeAsync()
    {
        _table = new InMemoryRouteTable(Options.Create(new LocalEngineOptions { RouteTtl = Ttl }), Time);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync() => Task.CompletedTask;
}
