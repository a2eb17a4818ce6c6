using Dapr.Actors;
using Dapr.Actors.Client;
using Resonance.Contracts;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Dapr;

/// <summary>The per-user index as one <see cref="IUserSessionsActor"/> per user.</summary>
public sealed class ActorSessionIndex(IActorProxyFactory actors) : ISessionIndex
{
    private const int Parallelism = 16;

    public Task AddAsync(string sessionId, IReadOnlyCollection<string> usernames, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(usernames, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            (username, token) => new ValueTask(Proxy(username).InvokeMethodAsync("Add", sessionId, token)));

    public async Task<IReadOnlyList<string>> ListAsync(string username, string afterSessionId, int limit, CancellationToken cancellationToken) =>
        await Proxy(username).InvokeMethodAsync<UserSessionsQuery, string[]>(
            "List", new UserSessionsQuery { AfterSessionId = afterSessionId, Limit = limit }, cancellationToken);

    private ActorProxy Proxy(string username) => actors.Create(new ActorId(username), DaprNames.UserSessionsActorType);
}
