using Dapr.Actors.Runtime;

namespace Resonance.Logic.Dapr;

/// <summary>
/// The sessions one user belongs to, in one sorted list under the key <c>sessions</c>. One key per
/// user keeps a page read to one get; a user in very many sessions rewrites a long list per join.
/// </summary>
public sealed class UserSessionsActor(ActorHost host) : Actor(host), IUserSessionsActor
{
    private const string SessionsKey = "sessions";

    public async Task Add(string sessionId)
    {
        var sessions = await LoadAsync();
        var at = sessions.BinarySearch(sessionId, StringComparer.Ordinal);
        if (at >= 0)
        {
            return;
        }

        sessions.Insert(~at, sessionId);
        await StateManager.SetStateAsync(SessionsKey, sessions);
        await StateManager.SaveStateAsync();
    }

    public async Task<string[]> List(UserSessionsQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sessions = await LoadAsync();
        var start = 0;
        if (query.AfterSessionId.Length > 0)
        {
            var at = sessions.BinarySearch(query.AfterSessionId, StringComparer.Ordinal);
            start = at >= 0 ? at + 1 : ~at;
        }

        var count = Math.Clamp(sessions.Count - start, 0, Math.Max(query.Limit, 0));
        return [.. sessions.GetRange(start, count)];
    }

    private async Task<List<string>> LoadAsync()
    {
        var stored = await StateManager.TryGetStateAsync<List<string>>(SessionsKey);
        return stored.HasValue ? stored.Value : [];
    }
}
