using Resonance.Contracts.V1;

namespace Resonance.Logic.Sessions;

/// <summary>
/// The logic service's commands, whichever engine hosts the sessions (the Local engine's turns and
/// SQLite, or Dapr actors). Rejections are <see cref="Contracts.ResonanceException"/>s with an error code.
/// </summary>
public interface ISessionService
{
    Task<CreateSessionResponse> CreateSessionAsync(string creator, CreateSessionRequest request, CancellationToken cancellationToken);

    Task<AddMembersResponse> AddMembersAsync(string caller, string sessionId, AddMembersRequest request, CancellationToken cancellationToken);

    Task<SendAck> SendAsync(string sender, SendCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// Consecutive sends of one sender, answered one reply each, in order: the gateway's batch of a connection's
    /// sends. A run of sends to one session is stored in one turn and one write; one send's error is its own.
    /// </summary>
    Task<SendManyResult> SendManyAsync(string sender, SendManyCommand command, CancellationToken cancellationToken);

    Task<SyncResult> SyncAsync(string caller, SyncCommand command, CancellationToken cancellationToken);

    Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken);

    /// <summary>Who is in the session, for task's fan-out (no caller: an internal call).</summary>
    Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken);
}
