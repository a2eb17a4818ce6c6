using System.Text.Json;
using Dapr.Actors.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Resonance.Hosting.Dapr;
using Resonance.Logic.Publishing;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

public static class DaprLogicExtensions
{
    /// <summary>
    /// The logic service on the Dapr engine: sessions and users' indexes as actors in the actor state
    /// store, push events to Dapr pub/sub. Actor calls are non-remoting with JSON (the SDK's default
    /// DataContract remoting cannot carry records or protobuf types).
    /// </summary>
    public static IServiceCollection AddDaprLogic(this IServiceCollection services, DaprSidecarOptions sidecar, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        services.AddLogicCore();
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var token = sidecar.DaprApiToken.Length > 0 ? sidecar.DaprApiToken : null;
        services.AddActors(options =>
        {
            options.Actors.RegisterActor<SessionActor>(DaprNamesOf.SessionActor);
            options.Actors.RegisterActor<UserSessionsActor>(DaprNamesOf.UserSessionsActor);
            options.HttpEndpoint = sidecar.HttpEndpoint.ToString().TrimEnd('/');
            if (token is not null)
            {
                options.DaprApiToken = token;
            }

            options.JsonSerializerOptions = json;
            options.UseJsonSerialization = true;
        });

        // The proxies' endpoint and serialization must match the runtime's (AddActors registers a default factory).
        services.Replace(ServiceDescriptor.Singleton<IActorProxyFactory>(new ActorProxyFactory(new ActorProxyOptions
        {
            HttpEndpoint = sidecar.HttpEndpoint.ToString().TrimEnd('/'),
            DaprApiToken = token,
            JsonSerializerOptions = json,
            UseJsonSerialization = true,
            RequestTimeout = callTimeout,
        })));
        services.TryAddSingleton<IPushEventPublisher, DaprPushEventPublisher>();
        services.TryAddSingleton<ISessionIndex, ActorSessionIndex>();
        services.TryAddSingleton<ISessionService, ActorSessionService>();
        return services;
    }

    private static class DaprNamesOf
    {
        public const string SessionActor = Contracts.DaprNames.SessionActorType;
        public const string UserSessionsActor = Contracts.DaprNames.UserSessionsActorType;
    }
}
