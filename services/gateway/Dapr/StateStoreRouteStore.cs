using Dapr;
using Dapr.Client;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Gateway.Routing;
using Resonance.Hosting.Dapr;

namespace Resonance.Gateway.Dapr;

/// <summary>
/// Routes in the <c>routes</c> state store, one key per user (<see cref="UserRoutesRecord"/>) shared by
/// every gateway: each change is a read, then a compare-and-set on the etag (first write only if the key is
/// still missing), repeated when another gateway changed the key meanwhile, so no gateway's update is lost.
/// Each gateway's entry carries its own expiry (three refresh intervals) and the key a <c>ttlInSeconds</c>
/// to the latest one, so a gateway that stops without withdrawing its routes is forgotten on its own.
/// </summary>
public sealed class StateStoreRouteStore(DaprClient dapr, SidecarReadiness sidecar, IOptions<GatewayOptions> options, TimeProvider time) : IRouteStore
{
    private const int MaxAttempts = 8;
    private const int Parallelism = 16;

    private readonly TimeSpan _ttl = options.Value.RouteRefreshInterval * 3;

    public async Task ApplyAsync(IReadOnlyList<RouteChange> changes, CancellationToken cancellationToken)
    {
        await sidecar.WaitAsync(cancellationToken);
        await Parallel.ForEachAsync(changes, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, ApplyAsync);
    }

    private async ValueTask ApplyAsync(RouteChange change, CancellationToken cancellationToken)
    {
        var key = UserRoutesRecord.KeyOf(change.Username);
        for (var attempt = 1; ; attempt++)
        {
            var (record, etag) = await dapr.GetStateAndETagAsync<UserRoutesRecord?>(DaprNames.RouteStore, key, cancellationToken: cancellationToken);
            record ??= new UserRoutesRecord();
            var now = time.GetUtcNow();
            Change(record, change, now);
            if (await TryWriteAsync(key, record, etag, now, cancellationToken))
            {
                return;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The routes of {change.Username} kept changing under {MaxAttempts} attempts to write them.");
            }
        }
    }

    private void Change(UserRoutesRecord record, RouteChange change, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var (gatewayId, expiresAt) in record.Gateways)
        {
            if (expiresAt <= nowMs)
            {
                record.Gateways.Remove(gatewayId);
            }
        }

        if (change.Connected)
        {
            record.Gateways[change.GatewayId] = (now + _ttl).ToUnixTimeMilliseconds();
        }
        else
        {
            record.Gateways.Remove(change.GatewayId);
        }
    }

    /// <summary>False when another writer got there first (an etag mismatch, whether the store answers it or the SDK throws it).</summary>
    private async Task<bool> TryWriteAsync(string key, UserRoutesRecord record, string? etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            if (record.Gateways.Count == 0)
            {
                return string.IsNullOrEmpty(etag) || await dapr.TryDeleteStateAsync(DaprNames.RouteStore, key, etag, cancellationToken: cancellationToken);
            }

            var latest = DateTimeOffset.FromUnixTimeMilliseconds(record.Gateways.Values.Max());
            var metadata = new Dictionary<string, string>
            {
                ["ttlInSeconds"] = ((long)Math.Ceiling((latest - now).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (string.IsNullOrEmpty(etag))
            {
                return await TryFirstWriteAsync(key, record, metadata, cancellationToken);
            }

            return await dapr.TrySaveStateAsync(DaprNames.RouteStore, key, record, etag, metadata: metadata, cancellationToken: cancellationToken);
        }
        catch (DaprException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.Aborted or StatusCode.FailedPrecondition })
        {
            return false;
        }
    }

    /// <summary>
    /// Writes a key that was missing, unless another gateway wrote it meanwhile. Stores do not agree on how they
    /// say so: PostgreSQL as an etag mismatch, Redis as a plain "failed to set key" that daprd answers INTERNAL
    /// (components-contrib state/redis/redis.go, dapr/dapr pkg/api/grpc). Either way: read again. A store that is
    /// really down fails the read that follows.
    /// </summary>
    private async Task<bool> TryFirstWriteAsync(string key, UserRoutesRecord record, Dictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            await dapr.SaveStateAsync(DaprNames.RouteStore, key, record, new StateOptions { Concurrency = ConcurrencyMode.FirstWrite }, metadata, cancellationToken);
            return true;
        }
        catch (DaprException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.Internal })
        {
            return false;
        }
    }
}
