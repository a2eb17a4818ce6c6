using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Resonance.Hosting;
using Resonance.Logic.Sessions;
using Resonance.Logic.Storage;

namespace Resonance.Logic;

public static class LogicServiceCollectionExtensions
{
    /// <summary>
    /// The logic service on the Local engine: sessions in SQLite, one lock per session.
    /// The host supplies <see cref="Push.IPushEventPublisher"/>.
    /// </summary>
    public static IServiceCollection AddLocalLogic(this IServiceCollection services)
    {
        services.AddValidatedOptions<LogicOptions>(LogicOptions.Section);
        services.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISessionStore, SqliteSessionStore>();
        services.TryAddSingleton<LogicMetrics>();
        services.TryAddSingleton<SessionCommands>();
        services.TryAddSingleton<SessionDirectory>();
        services.TryAddSingleton<SessionService>();
        return services;
    }
}
