using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Resonance.Contracts;
using Resonance.FakeDapr;
using Resonance.Gateway;
using Resonance.Logic;
using Resonance.TaskService;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// The Dapr engine on loopback: gateways, logic replicas and task as separate ASP.NET Core hosts, each
/// started by its real app composition (<c>GatewayApp</c>, <c>LogicApp</c>, <c>TaskApp</c>) beside its own
/// fake sidecar, all sidecars sharing one <see cref="FakeDaprCluster"/> (state stores, pub/sub, placement).
/// </summary>
internal sealed class DaprCluster : IAsyncDisposable
{
    public const string AppApiToken = "cluster-app-api-token";

    /// <summary>What each app presents to its sidecar, which refuses calls without it, as daprd with <c>DAPR_API_TOKEN</c>.</summary>
    public const string DaprApiToken = "cluster-dapr-api-token";
    public const string SigningKey = "resonance-dapr-tests-signing-key-0123456789";

    private readonly List<DaprHost> _hosts = [];

    private DaprCluster(FakeDaprCluster dapr) => Dapr = dapr;

    public FakeDaprCluster Dapr { get; }

    public IReadOnlyList<DaprHost> Hosts => _hosts;

    /// <param name="logs">A recorder per app-id for the apps' log events (e.g. to check what they log), or none.</param>
    public static async Task<DaprCluster> StartAsync(int gateways = 2, int logicReplicas = 1, IReadOnlyDictionary<string, string?>? settings = null, Func<string, LogRecorder?>? logs = null)
    {
        var cluster = new DaprCluster(new FakeDaprCluster(new FakeDaprOptions
        {
            StateStores =
            [
                // Capped as DynamoDB and Cosmos DB cap a transaction, so every test shows logic stays within it.
                new FakeStateStore("actorstore", KeyPrefix.AppId, ActorStateStore: true, MultiMaxSize: 100),
                new FakeStateStore(DaprNames.RouteStore, KeyPrefix.Name),
            ],
            PubSubs = { DaprNames.PubSub },
            RetryInterval = TimeSpan.FromMilliseconds(100),
        }));
        try
        {
            for (var i = 0; i < logicReplicas; i++)
            {
                await cluster.StartAppAsync(DaprNames.LogicAppId, LogicApp.Create, settings, logs?.Invoke(DaprNames.LogicAppId));
            }

            await cluster.StartAppAsync("task", TaskApp.Create, settings, logs?.Invoke("task"));
            for (var i = 1; i <= gateways; i++)
            {
                await cluster.StartAppAsync($"gateway-{i}", GatewayApp.Create, settings, logs?.Invoke($"gateway-{i}"));
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public DaprHost Gateway(int number) => _hosts.Single(h => h.AppId == $"gateway-{number}");

    public IEnumerable<DaprHost> Instances(string appId) => _hosts.Where(h => h.AppId == appId);

    public async Task<DaprHost> StartAppAsync(
        string appId, Func<string[], Action<WebApplicationBuilder>?, WebApplication> create, IReadOnlyDictionary<string, string?>? settings = null, LogRecorder? log = null) =>
        await StartAppAsync(await Dapr.StartSidecarAsync(appId, new SidecarTokens(AppApiToken, DaprApiToken)), create, settings, log);

    /// <summary>A new instance of an app behind a sidecar that is already running (one whose app crashed: <see cref="CrashAppAsync"/>).</summary>
    public async Task<DaprHost> StartAppAsync(
        FakeSidecar sidecar, Func<string[], Action<WebApplicationBuilder>?, WebApplication> create, IReadOnlyDictionary<string, string?>? settings = null, LogRecorder? log = null)
    {
        var appId = sidecar.AppId;
        var app = create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["APP_ID"] = appId,

                // The test folder also holds the standalone host's appsettings.json, which names gateway-1.
                ["Gateway:GatewayId"] = appId.StartsWith("gateway-", StringComparison.Ordinal) ? appId : null,
                ["APP_API_TOKEN"] = AppApiToken,
                ["DAPR_API_TOKEN"] = DaprApiToken,
                ["DAPR_HTTP_ENDPOINT"] = sidecar.HttpEndpoint.ToString(),
                ["DAPR_GRPC_ENDPOINT"] = sidecar.GrpcEndpoint.ToString(),
                ["Auth:SigningKey"] = SigningKey,
                ["Auth:EnableDevTokens"] = "true",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            log?.Install(builder);
        });
        await app.StartAsync();
        var host = new DaprHost(appId, app, sidecar, ListeningAddress.Of(app));
        _hosts.Add(host);
        await sidecar.AttachAppAsync(host.BaseAddress);
        return host;
    }

    /// <summary>Stops a host (its sidecar first, so it goes as a crashed pod would: no time to withdraw anything).</summary>
    public async Task KillAsync(DaprHost host)
    {
        await host.Sidecar.StopAppAsync();
        await host.DisposeAsync();
        _hosts.Remove(host);
    }

    /// <summary>
    /// The app dies under its sidecar, as a container restarted in its pod: the sidecar routes nothing to it at once,
    /// then the app stops without a graceful shutdown. The sidecar (and every store) stays, for the restart.
    /// </summary>
    public async Task<FakeSidecar> CrashAppAsync(DaprHost host)
    {
        await host.Sidecar.StopAppAsync();
        await host.StopAppAbruptlyAsync();
        _hosts.Remove(host);
        return host.Sidecar;
    }

    /// <summary>A graceful stop, as on SIGTERM: the app drains while its sidecar still works, then the sidecar goes.</summary>
    public async Task DrainAsync(DaprHost host)
    {
        await host.DisposeAsync();
        _hosts.Remove(host);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.DisposeAsync();
        }

        await Dapr.DisposeAsync();
    }
}
