using System.Collections.Concurrent;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Gateway.Tests;

/// <summary>
/// Logic whose batch calls each wait for the test to let them through, one gate per call, and record the
/// client message ids of every call. A send whose content is "bad" is answered with its own error, "blank" with a
/// reply that has neither ack nor error, and "throw" fails the whole call.
/// </summary>
internal sealed class GatedLogic : ILogicClient
{
    private readonly SemaphoreSlim _called = new(0);
    private readonly SemaphoreSlim _opened = new(0);

    public ConcurrentQueue<string[]> Calls { get; } = new();

    /// <summary>Completes when a batch call has arrived (one per call).</summary>
    public Task CalledAsync() => _called.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Lets the oldest waiting (or next) batch call answer.</summary>
    public void ReleaseOne() => _opened.Release();

    public async Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken)
    {
        Calls.Enqueue([.. command.Sends.Select(send => send.ClientMsgId)]);
        _called.Release();
        await _opened.WaitAsync(cancellationToken);
        var result = new SendManyResult();
        foreach (var send in command.Sends)
        {
            result.Replies.Add(send.Content switch
            {
                "bad" => new SendReply { Error = new Error { Code = ErrorCodes.InvalidArgument, Message = "bad", ClientMsgId = send.ClientMsgId } },
                "blank" => new SendReply(),
                "throw" => throw new InvalidOperationException("logic failed"),
                _ => new SendReply { Ack = new SendAck { ClientMsgId = send.ClientMsgId, SessionId = send.SessionId, Seq = 1 } },
            });
        }

        return result;
    }

    public Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the gateway sends in batches");

    public Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken) =>
        Task.FromResult(new SyncResult { SessionId = command.SessionId, RequestId = command.RequestId });

    public Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
