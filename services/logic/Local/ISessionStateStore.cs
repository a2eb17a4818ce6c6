using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>Where the Local engine keeps every session's state: one <see cref="ISessionState"/> per session id, opened on demand.</summary>
public interface ISessionStateStore
{
    ISessionState Open(string sessionId);
}
