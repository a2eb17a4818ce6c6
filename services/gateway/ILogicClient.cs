using Resonance.Contracts.V1;

namespace Resonance.Gateway;

/// <summary>
/// The commands the gateway forwards to logic on behalf of an authenticated user. Rejections
/// arrive as <see cref="Contracts.ResonanceException"/> with an error code.
/// </summary>
public interface ILogicClient
{
    Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken);

    /// <summary>
    /// Consecutive sends of one connection in one call; one reply per send, in order, each its ack or its own
    /// error. A failure of the whole call (logic unreachable) is thrown, as for <see cref="SendAsync"/>.
    /// </summary>
    Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken);

    Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken);

    Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken);

    Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken);

    Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken);
}
