using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Resonance.FakeDapr;

/// <summary>
/// A TEST DOUBLE of a Dapr deployment, not Dapr: what several daprd sidecars share (state stores, a
/// pub/sub broker, actor placement, the app-ids and their instances), reached through one
/// <see cref="FakeSidecar"/> per app instance that speaks daprd's real HTTP and gRPC APIs.
/// </summary>
public sealed class FakeDaprCluster : IAsyncDisposable
{
    private readonly Dictionary<string, StateStoreData> _stores;
    private readonly List<FakeSidecar> _sidecars = [];
    private readonly ConcurrentDictionary<(string Type, string Id), SemaphoreSlim> _turns = new();
    private readonly ConcurrentDictionary<(string Type, string Id), FakeSidecar> _placement = new();
    private readonly ConcurrentQueue<PublishedEvent> _published = new();
    private readonly ConcurrentQueue<PublishedEvent> _deadLettered = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _deliveries = [];
    private int _roundRobin;

    public FakeDaprCluster(FakeDaprOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _stores = options.StateStores.ToDictionary(s => s.Name, s => new StateStoreData(s, options.Time), StringComparer.Ordinal);
        ActorStore = _stores.Values.SingleOrDefault(s => s.Store.ActorStateStore);
    }

    public FakeDaprOptions Options { get; }

    public FakeDaprFaults Faults { get; } = new();

    /// <summary>Every event published, in publish order.</summary>
    public IReadOnlyList<PublishedEvent> Published => [.. _published];

    /// <summary>Events moved to a dead-letter topic.</summary>
    public IReadOnlyList<PublishedEvent> DeadLettered => [.. _deadLettered];

    internal StateStoreData? ActorStore { get; }

    internal HttpClient AppClient { get; } = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Starts a sidecar for one instance of <paramref name="appId"/> on free loopback ports.</summary>
    public Task<FakeSidecar> StartSidecarAsync(string appId, string? appApiToken = null) => StartSidecarAsync(appId, new SidecarTokens(appApiToken));

    /// <summary>Starts a sidecar for one instance of <paramref name="appId"/> on free loopback ports, with the tokens daprd would read from its environment.</summary>
    public async Task<FakeSidecar> StartSidecarAsync(string appId, SidecarTokens tokens)
    {
        var sidecar = await FakeSidecar.StartAsync(this, appId, tokens);
        lock (_sidecars)
        {
            _sidecars.Add(sidecar);
        }

        return sidecar;
    }

    /// <summary>The live entries of a store, by their stored (prefixed) keys.</summary>
    public IReadOnlyDictionary<string, byte[]> StateOf(string storeName) => _stores[storeName].Snapshot();

    /// <summary>The instance an actor is placed on now, if any hosts its type.</summary>
    public FakeSidecar? HostOf(string actorType, string actorId) => Place(actorType, actorId);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Task[] deliveries;
        lock (_deliveries)
        {
            deliveries = [.. _deliveries];
        }

        await Task.WhenAll(deliveries).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var sidecar in Sidecars())
        {
            await sidecar.DisposeAsync();
        }

        AppClient.Dispose();
        _stopping.Dispose();
    }

    internal StateStoreData? StoreNamed(string name) => _stores.GetValueOrDefault(name);

    internal FakeSidecar[] Sidecars()
    {
        lock (_sidecars)
        {
            return [.. _sidecars];
        }
    }

    /// <summary>One live instance of the app-id, round robin (daprd's name resolution picks among instances too).</summary>
    internal FakeSidecar? PickInstance(string appId)
    {
        var live = Sidecars().Where(s => s.AppId == appId && s.IsLive).ToArray();
        return live.Length == 0 ? null : live[(int)((uint)Interlocked.Increment(ref _roundRobin) % live.Length)];
    }

    /// <summary>
    /// Placement: an actor lives on one live instance whose <c>/dapr/config</c> named its type, chosen by a hash of
    /// its id over those instances, so stopping one moves its actors to the others.
    /// </summary>
    internal FakeSidecar? Place(string actorType, string actorId)
    {
        var hosts = Sidecars().Where(s => s.IsLive && s.ActorTypes.Contains(actorType)).OrderBy(s => s.InstanceId).ToArray();
        if (hosts.Length == 0)
        {
            return null;
        }

        var hash = 0u;
        foreach (var c in actorId)
        {
            hash = (hash * 31) + c;
        }

        return hosts[hash % (uint)hosts.Length];
    }

    /// <summary>
    /// Runs an actor call in the actor's turn (one at a time per actor id, no reentrancy), on the host placement
    /// picks; a host that no longer owns the actor is told to deactivate it first (<c>DELETE /actors/{type}/{id}</c>).
    /// </summary>
    internal async Task<HttpResponseMessage> CallActorAsync(string actorType, string actorId, Func<FakeSidecar, Task<HttpResponseMessage>> call, CancellationToken cancellationToken)
    {
        var turn = _turns.GetOrAdd((actorType, actorId), static _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken);
        try
        {
            var host = Place(actorType, actorId) ?? throw new InvalidOperationException($"no app hosts actor type {actorType}");
            if (_placement.TryGetValue((actorType, actorId), out var previous) && previous != host && previous.IsLive)
            {
                await previous.DeactivateAsync(actorType, actorId, cancellationToken);
            }

            _placement[(actorType, actorId)] = host;
            return await call(host);
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Publishes: the event is wrapped in a CloudEvent and delivered to one instance of each subscribing app-id.</summary>
    /// <param name="ttlSeconds">Metadata <c>ttlInSeconds</c>: daprd stamps the CloudEvent's <c>expiration</c> and drops the event once it has passed (Dapr docs "Message Time-to-Live").</param>
    internal void Publish(string sourceAppId, string pubSub, string topic, byte[] data, string contentType, long? ttlSeconds = null)
    {
        var expiresAt = ttlSeconds is { } seconds ? Options.Time.GetUtcNow().AddSeconds(seconds) : (DateTimeOffset?)null;
        var published = new PublishedEvent(Guid.NewGuid().ToString(), sourceAppId, pubSub, topic, data, string.IsNullOrEmpty(contentType) ? "application/json" : contentType, expiresAt);
        _published.Enqueue(published);
        var subscribers = Sidecars().Where(s => s.Subscriptions.Any(x => x.PubSub == pubSub && x.Topic == topic)).Select(s => s.AppId).Distinct(StringComparer.Ordinal);
        foreach (var appId in subscribers)
        {
            for (var copy = 0; copy <= Faults.ExtraDeliveries; copy++)
            {
                Track(DeliverAsync(appId, published));
            }
        }
    }

    private void Track(Task delivery)
    {
        lock (_deliveries)
        {
            _deliveries.RemoveAll(t => t.IsCompleted);
            _deliveries.Add(delivery);
        }
    }

    /// <summary>
    /// At-least-once delivery as daprd does it (dapr/dapr pkg/runtime/subscription/subscription.go and
    /// postman/http/http.go): SUCCESS (or any 2xx without a status) ends it; RETRY, an unknown status or an
    /// error status other than 404 redelivers after <see cref="FakeDaprOptions.RetryInterval"/>; DROP and 404
    /// drop it, to the dead-letter topic when the subscription names one; so does the last failed attempt.
    /// </summary>
    private async Task DeliverAsync(string appId, PublishedEvent published)
    {
        var stopping = _stopping.Token;
        try
        {
            await Task.Yield();
            for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
            {
                var jitter = Faults.NextJitter();
                if (jitter > TimeSpan.Zero)
                {
                    await Task.Delay(jitter, stopping);
                }

                if (published.ExpiresAt <= Options.Time.GetUtcNow())
                {
                    return; // expired: dropped, never delivered
                }

                var instance = PickInstance(appId);
                var subscription = instance?.Subscriptions.FirstOrDefault(s => s.PubSub == published.PubSub && s.Topic == published.Topic);
                if (instance is null || subscription is null)
                {
                    // No instance up: the broker keeps the event until one is.
                    await Task.Delay(Options.RetryInterval, stopping);
                    attempt--;
                    continue;
                }

                var outcome = await instance.PostEventAsync(subscription.Route, CloudEvent(published), stopping);
                if (outcome == DeliveryOutcome.Success)
                {
                    return;
                }

                if (outcome == DeliveryOutcome.Drop || attempt >= Options.MaxDeliveryAttempts)
                {
                    if (subscription.DeadLetterTopic is { Length: > 0 } deadLetter)
                    {
                        _deadLettered.Enqueue(published);
                        Publish(appId, published.PubSub, deadLetter, published.Data, published.ContentType);
                    }

                    return;
                }

                await Task.Delay(Options.RetryInterval, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The CloudEvent 1.0 envelope daprd makes (components-contrib pubsub/envelope.go): JSON data inline as
    /// <c>data</c>, <c>application/octet-stream</c> base64 in <c>data_base64</c>, any other content type as a string.
    /// </summary>
    private static string CloudEvent(PublishedEvent published)
    {
        var envelope = new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = published.Id,
            ["source"] = published.SourceAppId,
            ["type"] = "com.dapr.event.sent",
            ["datacontenttype"] = published.ContentType,
            ["topic"] = published.Topic,
            ["pubsubname"] = published.PubSub,
            ["traceid"] = "00-00000000000000000000000000000000-0000000000000000-00",
        };
        if (published.ExpiresAt is { } expiresAt)
        {
            envelope["expiration"] = expiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (published.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            envelope["data"] = JsonNode.Parse(published.Data);
        }
        else if (published.ContentType.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            envelope["data_base64"] = Convert.ToBase64String(published.Data);
        }
        else
        {
            envelope["data"] = Encoding.UTF8.GetString(published.Data);
        }

        return envelope.ToJsonString(new JsonSerializerOptions());
    }
}
