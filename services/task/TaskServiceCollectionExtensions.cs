using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Resonance.Hosting;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService;

public static class TaskServiceCollectionExtensions
{
    /// <summary>
    /// The push pipeline. The host supplies <see cref="ISessionMembersSource"/>, <see cref="IRouteLookup"/>
    /// and <see cref="IGatewayPushClient"/>, and feeds events to <see cref="PushDispatcher"/>.
    /// </summary>
    public static IServiceCollection AddTaskService(this IServiceCollection services)
    {
        services.AddValidatedOptions<TaskOptions>(TaskOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PushStats>();
        services.TryAddSingleton<SessionMembersCache>();
        services.TryAddSingleton<PushDelivery>();
        services.TryAddSingleton<PushDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<PushDispatcher>());
        return services;
    }
}
