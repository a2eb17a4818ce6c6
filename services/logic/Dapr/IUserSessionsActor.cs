using Dapr.Actors;

namespace Resonance.Logic.Dapr;

/// <summary>
/// A user's session index as a Dapr actor: actor type <c>UserSessionsActor</c>, actor id = username.
/// Called without remoting (method names <c>Add</c> and <c>List</c>, JSON bodies).
/// </summary>
public interface IUserSessionsActor : IActor
{
    /// <summary>Records that the user belongs to the session; repeating it changes nothing.</summary>
    Task Add(string sessionId);

    /// <summary>The user's session ids in ordinal order after <see cref="UserSessionsQuery.AfterSessionId"/>.</summary>
    Task<string[]> List(UserSessionsQuery query);
}
