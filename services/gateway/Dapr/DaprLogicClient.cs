using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Hosting.Dapr;

namespace Resonance.Gateway.Dapr;

/// <summary>The gateway's commands to logic by service invocation (app-id <c>logic</c>), the user named in a header.</summary>
public sealed class DaprLogicClient(SidecarInvoker invoker) : ILogicClient
{
    public Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken) =>
        PostAsync<SendAck>(InternalRoutes.Send, command, username, cancellationToken);

    public Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken) =>
        PostAsync<SendManyResult>(InternalRoutes.SendMany, command, username, cancellationToken);

    public Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken) =>
        PostAsync<SyncResult>(InternalRoutes.Sync, command, username, cancellationToken);

    public Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken) =>
        PostAsync<CreateSessionResponse>(InternalRoutes.CreateSession, request, username, cancellationToken);

    public Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken) =>
        PostAsync<ListSessionsResponse>(InternalRoutes.ListSessions, request, username, cancellationToken);

    public Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        PostAsync<AddMembersResponse>(InternalRoutes.AddMembersOf(sessionId), request, username, cancellationToken);

    private Task<T> PostAsync<T>(string path, Google.Protobuf.IMessage body, string username, CancellationToken cancellationToken)
        where T : Google.Protobuf.IMessage<T>, new() =>
        invoker.InvokeAsync<T>(DaprNames.LogicAppId, HttpMethod.Post, path, body, username, cancellationToken);
}
