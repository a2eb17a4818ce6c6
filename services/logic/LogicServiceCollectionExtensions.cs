using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Resonance.Hosting;
using Resonance.Logic.Local;
using Resonance.Logic.Sessions;

namespace Resonance.Logic;

public static class LogicServiceCollectionExtensions
{
    /// <summary>What the logic service needs on every engine: its options, the rules, its meter.</summary>
    public static IServiceCollection AddLogicCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<LogicOptions>(LogicOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LogicMetrics>();
        services.TryAddSingleton<SessionCommands>();
        return services;
    }

    /// <summary>
    /// The logic service on the Local engine: sessions in SQLite, one turn per session in this process.
    /// The host supplies <see cref="Publishing.IPushEventPublisher"/>.
    /// </summary>
    public static IServiceCollection AddLocalLogic(this IServiceCollection services)
    {
        services.AddLogicCore();
        services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        services.TryAddSingleton<SqliteSessionStore>();
        services.TryAddSingleton<ISessionStateStore>(provider => provider.GetRequiredService<SqliteSessionStore>());
        services.TryAddSingleton<ISessionIndex>(provider => provider.GetRequiredService<SqliteSessionStore>());
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<ISessionService, LocalSessionService>();
        return services;
    }
}
