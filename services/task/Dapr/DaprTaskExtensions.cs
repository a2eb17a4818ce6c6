using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Dapr;

public static class DaprTaskExtensions
{
    /// <summary>Task's ports on the Dapr engine: members from logic, routes from the state store, gateways by invocation.</summary>
    public static IServiceCollection AddDaprTask(this IServiceCollection services)
    {
        services.AddTaskService();
        services.TryAddSingleton<ISessionMembersSource, LogicMembersSource>();
        services.TryAddSingleton<IRouteLookup, StateStoreRouteLookup>();
        services.TryAddSingleton<IGatewayPushClient, DaprGatewayPushClient>();
        services.TryAddSingleton(provider => new SessionSequencer(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<TaskOptions>>().Value.ReorderWait));
        return services;
    }
}
