using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts.V1;
using Resonance.TaskService.Dispatch;

namespace Resonance.TaskService.Tests;

internal sealed class FakeMembers : ISessionMembersSource
{
    private readonly ConcurrentDictionary<string, SessionMembers> _sessions = new();

    public int Fetches;

    public void Set(string sessionId, long version, params string[] members)
    {
        var value = new SessionMembers { SessionId = sessionId, Version = version };
        value.Members.AddRange(members);
        _sessions[sessionId] = value;
    }

    public Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Fetches);
        return Task.FromResult(_sessions[sessionId]);
    }
}

internal sealed class FakeRoutes : IRouteLookup
{
    private readonly ConcurrentDictionary<string, string[]> _routes = new();

    public void Set(string username, params string[] gateways) => _routes[username] = gateways;

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetGatewaysAsync(IReadOnlyCollection<string> usernames, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var username in usernames)
        {
            if (_routes.TryGetValue(username, out var gateways) && gateways.Length > 0)
            {
                result[username] = gateways;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(result);
    }
}

/// <summary>Records every batch; answers with the recipients listed as failing for that gateway.</summary>
internal sealed class RecordingGateways : IGatewayPushClient
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _failing = new();

    public ConcurrentQueue<(string GatewayId, PushBatch Batch)> Calls { get; } = new();

    public Func<string, Task>? BeforeReply { get; set; }

    public HashSet<string> DownGateways { get; } = [];

    public void Fail(string gatewayId, params string[] usernames) => _failing[gatewayId] = [.. usernames];

    public async Task<PushResult> PushAsync(string gatewayId, PushBatch batch, CancellationToken cancellationToken)
    {
        Calls.Enqueue((gatewayId, batch));
        if (BeforeReply is not null)
        {
            await BeforeReply(gatewayId);
        }

        if (DownGateways.Contains(gatewayId))
        {
            throw new HttpRequestException($"{gatewayId} is down");
        }

        var result = new PushResult();
        if (_failing.TryGetValue(gatewayId, out var failing))
        {
            result.FailedRecipients.AddRange(batch.Recipients.Where(failing.Contains));
        }

        return result;
    }
}

internal sealed class TaskHarness : IAsyncDisposable
{
    public TaskHarness(TaskOptions? options = null)
    {
        Options = options ?? new TaskOptions();
        Delivery = new PushDelivery(new SessionMembersCache(Members, Microsoft.Extensions.Options.Options.Create(Options)), Routes, Gateways, Stats, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<PushDelivery>.Instance);
        Dispatcher = new PushDispatcher(Delivery, Stats, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PushDispatcher>.Instance);
    }

    public TaskOptions Options { get; }

    public FakeMembers Members { get; } = new();

    public FakeRoutes Routes { get; } = new();

    public RecordingGateways Gateways { get; } = new();

    public PushStats Stats { get; } = new();

    public FakeTimeProvider Time { get; } = new();

    public PushDelivery Delivery { get; }

    public PushDispatcher Dispatcher { get; }

    public static PushEvent Event(string sessionId, long seq, long membersVersion = 1) => new()
    {
        Message = new Push { SessionId = sessionId, Seq = seq, MsgId = $"{sessionId}-{seq}", From = "alice", Content = $"#{seq}" },
        MembersVersion = membersVersion,
    };

    public async ValueTask DisposeAsync()
    {
        await Dispatcher.StopAsync(CancellationToken.None);
        Delivery.Dispose();
    }
}
