using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway;
using Resonance.Gateway.Connections;

namespace Resonance.Client.Tests;

/// <summary>
/// Wraps the server's logic client: counts every send by client message id, and once, right after the
/// send with a chosen content is stored, closes its sender's connections without draining them, so that
/// its ack is lost and the client must re-send a message the server already holds.
/// </summary>
internal sealed class CuttingLogicClient(string cutAfterStoring)
{
    private readonly ConcurrentDictionary<string, int> _sends = new(StringComparer.Ordinal);
    private int _cut;

    private string CutAfterStoring { get; } = cutAfterStoring;

    public bool Cut => Volatile.Read(ref _cut) == 1;

    public int SendsOf(string clientMsgId) => _sends.GetValueOrDefault(clientMsgId);

    /// <summary>For <see cref="Testing.StandaloneServer.StartAsync"/>'s configure: puts the wrapper in front of the host's logic client.</summary>
    public void Install(WebApplicationBuilder builder)
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(ILogicClient));
        builder.Services.Remove(original);
        builder.Services.AddSingleton<ILogicClient>(services => new Wrapper(this, Create(services, original), services));
    }

    private static ILogicClient Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (ILogicClient)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private sealed class Wrapper(CuttingLogicClient owner, ILogicClient inner, IServiceProvider services) : ILogicClient
    {
        public async Task<SendAck> SendAsync(string username, SendCommand command, CancellationToken cancellationToken)
        {
            owner._sends.AddOrUpdate(command.ClientMsgId, 1, static (_, count) => count + 1);
            var ack = await inner.SendAsync(username, command, cancellationToken);
            if (command.Content == owner.CutAfterStoring && Interlocked.Exchange(ref owner._cut, 1) == 0)
            {
                foreach (var connection in services.GetRequiredService<ConnectionRegistry>().All.Where(c => c.Username == username))
                {
                    connection.Close((WebSocketCloseStatus)CloseCodes.SlowConsumer, "cut by the test after storing", drain: false);
                }
            }

            return ack;
        }

        public async Task<SendManyResult> SendManyAsync(string username, SendManyCommand command, CancellationToken cancellationToken)
        {
            foreach (var send in command.Sends)
            {
                owner._sends.AddOrUpdate(send.ClientMsgId, 1, static (_, count) => count + 1);
            }

            var result = await inner.SendManyAsync(username, command, cancellationToken);
            if (command.Sends.Any(send => send.Content == owner.CutAfterStoring) && Interlocked.Exchange(ref owner._cut, 1) == 0)
            {
                foreach (var connection in services.GetRequiredService<ConnectionRegistry>().All.Where(c => c.Username == username))
                {
                    connection.Close((WebSocketCloseStatus)CloseCodes.SlowConsumer, "cut by the test after storing", drain: false);
                }
            }

            return result;
        }

        public Task<SyncResult> SyncAsync(string username, SyncCommand command, CancellationToken cancellationToken) =>
            inner.SyncAsync(username, command, cancellationToken);

        public Task<CreateSessionResponse> CreateSessionAsync(string username, CreateSessionRequest request, CancellationToken cancellationToken) =>
            inner.CreateSessionAsync(username, request, cancellationToken);

        public Task<ListSessionsResponse> ListSessionsAsync(string username, ListSessionsRequest request, CancellationToken cancellationToken) =>
            inner.ListSessionsAsync(username, request, cancellationToken);

        public Task<AddMembersResponse> AddMembersAsync(string username, string sessionId, AddMembersRequest request, CancellationToken cancellationToken) =>
            inner.AddMembersAsync(username, sessionId, request, cancellationToken);
    }
}
