using Resonance.Contracts.V1;
using Resonance.Gateway;

namespace Resonance.Gateway.Tests;

/// <summary>
/// Logic that takes every command, so that each decoded frame's answer is its command's. A sync is answered with
/// one message of <paramref name="syncContentLength"/> characters (none for 0), a page of a size the test knows.
/// </summary>
internal sealed class AnsweringLogic(int syncContentLength = 0) : ILogicClient
{
    public Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(new SendAck { ClientMsgId = command.ClientMsgId, SessionId = command.SessionId, Seq = 1 });

    public Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken)
    {
        var result = new SendManyResult();
        foreach (var send in command.Sends)
        {
            result.Replies.Add(new SendReply { Ack = new SendAck { ClientMsgId = send.ClientMsgId, SessionId = send.SessionId, Seq = 1 } });
        }

        return Task.FromResult(result);
    }

    public Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken)
    {
        var result = new SyncResult { SessionId = command.SessionId };
        if (syncContentLength > 0)
        {
            result.Messages.Add(new Push { SessionId = command.SessionId, Seq = 1, Content = new string('x', syncContentLength) });
        }

        return Task.FromResult(result);
    }

    public Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
