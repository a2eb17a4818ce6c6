using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resonance.Gateway;
using Resonance.Gateway.Routing;
using Resonance.Hosting;
using Resonance.Logic.Publishing;
using Resonance.TaskService.Dispatch;

namespace Resonance.Standalone.Local;

public static class LocalEngineExtensions
{
    /// <summary>Connects the three services' ports with direct calls and in-memory state.</summary>
    public static IServiceCollection AddLocalEngine(this IServiceCollection services)
    {
        services.AddValidatedOptions<LocalEngineOptions>(LocalEngineOptions.Section);
        services.AddSingleton<IValidateOptions<LocalEngineOptions>, LocalEngineOptionsValidator>();
        services.TryAddSingleton<ILogicClient, LocalLogicClient>();
        services.TryAddSingleton<IPushEventPublisher, LocalPushEventPublisher>();
        services.TryAddSingleton<ISessionMembersSource, LocalSessionMembersSource>();
        services.TryAddSingleton<IGatewayPushClient, LocalGatewayPushClient>();
        services.TryAddSingleton<InMemoryRouteTable>();
        services.TryAddSingleton<IRouteStore>(provider => provider.GetRequiredService<InMemoryRouteTable>());
        services.TryAddSingleton<IRouteLookup>(provider => provider.GetRequiredService<InMemoryRouteTable>());
        return services;
    }
}
