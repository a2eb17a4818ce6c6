using Resonance.Contracts;
using Resonance.Hosting;

namespace Resonance.Deploy.Tests;

/// <summary>dapr.yaml uses only keys dapr/cli reads, and agrees with the code: app-ids, gateway ids, engine, ports, paths.</summary>
public sealed class RunTemplateTests
{
    // 8080 the standalone host, 3500/50001 daprd's HTTP and gRPC defaults, 9090 its metrics, 50005/50006 placement and scheduler.
    private static readonly int[] TakenPorts = [8080, 3500, 50001, 9090, 50005, 50006];

    private readonly DaprRunTemplate _template = DaprRunTemplate.Load();

    [Fact]
    public void Every_key_is_one_dapr_cli_reads()
    {
        Assert.Equal("1", _template.Document.Str("version"));
        Assert.All(_template.Document.Keys(), key => Assert.Contains(key, DaprRunTemplate.TopKeys));
        Assert.All(_template.Document.Keys("common"), key => Assert.Contains(key, DaprRunTemplate.CommonKeys));
        Assert.All(_template.Apps, app => Assert.All(app.Raw.Select(p => p.Key), key => Assert.Contains(key, DaprRunTemplate.AppKeys)));
    }

    [Fact]
    public void Two_gateways_logic_and_task_each_with_the_engine_the_apps_run()
    {
        Assert.Equal(["gateway-1", "gateway-2", DaprNames.LogicAppId, "task"], _template.Apps.Select(a => a.AppId).Order(StringComparer.Ordinal));
        Assert.All(_template.Apps, app => Assert.Equal(EngineSelection.Dapr, app.Argument(EngineSelection.Key)));
    }

    [Fact]
    public void A_gateway_is_named_by_its_app_id_and_shares_the_signing_key()
    {
        var gateways = _template.Apps.Where(a => a.AppId.StartsWith("gateway-", StringComparison.Ordinal)).ToList();
        Assert.All(gateways, g => Assert.Equal(g.AppId, g.Argument("Gateway:GatewayId")));
        Assert.All(gateways, g => Assert.Equal(Path.GetFullPath(Repository.PathOf("services/gateway")), g.AppDirectory));

        // A token one gateway signs must work on the other: the same key, at least 32 bytes.
        var keys = gateways.Select(g => g.Env.GetValueOrDefault("Auth__SigningKey")).Distinct().ToList();
        var key = Assert.Single(keys);
        Assert.True(key is { Length: >= 32 }, "gateways need one Auth__SigningKey of at least 32 bytes");
    }

    [Fact]
    public void Ports_are_distinct_and_clear_of_the_standalone_host_and_daprs_defaults()
    {
        var ports = _template.Apps.Select(a => a.AppPort).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.DoesNotContain(port, TakenPorts));

        // Each app listens where daprd looks (its appPort), on this machine only: the trial runs without the app token.
        Assert.All(_template.Apps, app => Assert.Equal($"http://localhost:{app.AppPort}", app.Argument("urls")));
    }

    [Fact]
    public void Paths_exist_and_each_command_runs_the_project_in_its_folder()
    {
        foreach (var app in _template.Apps)
        {
            Assert.True(Directory.Exists(app.AppDirectory), $"{app.AppId}: no {app.AppDirectory}");
            Assert.Single(Directory.GetFiles(app.AppDirectory, "*.csproj"));
            Assert.Equal(["dotnet", "run", "--no-build", "-c", "Release", "--"], app.Command.Take(6));
            Assert.NotEmpty(app.ResourcesPaths);
            Assert.All(app.ResourcesPaths, p => Assert.True(Directory.Exists(p), $"{app.AppId}: no resources folder {p}"));
            Assert.True(app.ConfigFile is not null && File.Exists(app.ConfigFile), $"{app.AppId}: no configuration file");
        }
    }

    [Fact]
    public void Daprd_probes_the_health_endpoint_every_app_serves()
    {
        Assert.All(_template.Apps, app =>
        {
            Assert.Equal("true", app.Setting("enableAppHealthCheck"));
            Assert.Equal("/healthz", app.Setting("appHealthCheckPath"));
        });
    }
}
