using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.Logic.Sessions;

namespace Resonance.Standalone.Local;

/// <summary>The gateway's commands as direct calls into the logic service.</summary>
public sealed class LocalLogicClient(ISessionService sessions) : ILogicClient
{
    public Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken) =>
        sessions.SendAsync(username, command, cancellationToken);

    public Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken) =>
        sessions.SendManyAsync(username, command, cancellationToken);

    public Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken) =>
        sessions.SyncAsync(username, command, cancellationToken);

    public Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken) =>
        sessions.CreateSessionAsync(username, request, cancellationToken);

    public Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken) =>
        sessions.ListSessionsAsync(username, request, cancellationToken);

    public Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        sessions.AddMembersAsync(username, sessionId, request, cancellationToken);
}
