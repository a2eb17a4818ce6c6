using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Resonance.Gateway.Delivery;
using Resonance.Gateway.Routing;

namespace Resonance.Gateway.Dapr;

public static class DaprGatewayExtensions
{
    /// <summary>The gateway's ports on the Dapr engine: logic by invocation, routes in the state store, broadcasts over pub/sub.</summary>
    public static IServiceCollection AddDaprGateway(this IServiceCollection services)
    {
        services.TryAddSingleton<ILogicClient, DaprLogicClient>();
        services.TryAddSingleton<IRouteStore, StateStoreRouteStore>();
        services.TryAddSingleton<IBroadcaster, DaprBroadcaster>();
        services.AddGateway();
        return services;
    }
}
