using System.Collections.Concurrent;
using System.Text.Json;
using Dapr.Actors;
using Dapr.Actors.Client;
using Dapr.Actors.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resonance.FakeDapr;
using Resonance.Logic.Dapr;
using Resonance.Logic.Sessions;
using Resonance.Testing;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>
/// The Dapr engine's actor state held to the session state contract: each scenario runs inside a turn of an
/// actor hosted by a real Dapr actor runtime (Dapr.Actors.AspNetCore), on an <see cref="ActorSessionState"/>
/// over its state manager, so every read and write goes through the sidecar's actor state API to the fake's
/// actor state store. A restart is a new app behind the same sidecar: nothing is left in memory.
/// </summary>
public sealed class DaprSessionStateContractTests : SessionStateContract
{
    private FakeDaprCluster _dapr = null!;
    private FakeSidecar _sidecar = null!;
    private WebApplication _app = null!;

    public override async Task InitializeAsync()
    {
        _dapr = new FakeDaprCluster(new FakeDaprOptions { StateStores = [new FakeStateStore("actorstate", KeyPrefix.AppId, ActorStateStore: true)] });
        _sidecar = await _dapr.StartSidecarAsync("logic");
        _app = await StartAppAsync(_sidecar);
    }

    public override async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _dapr.DisposeAsync();
    }

    protected override async Task RunAsync(string sessionId, Func<ISessionState, Task> scenario)
    {
        var run = StateProbeActor.Expect(scenario);
        var proxy = ActorProxy.Create(new ActorId(sessionId), nameof(StateProbeActor), new ActorProxyOptions { HttpEndpoint = _sidecar.HttpEndpoint.ToString().TrimEnd('/') });
        await proxy.InvokeMethodAsync(nameof(IStateProbe.Run), run.Key);
        await run.Done.Task.WaitAsync(TimeSpan.FromSeconds(30)); // rethrows the scenario's own assertion failure
    }

    protected override async Task ReopenAsync()
    {
        await _app.DisposeAsync();
        _app = await StartAppAsync(_sidecar);
    }

    private static async Task<WebApplication> StartAppAsync(FakeSidecar sidecar)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddActors(options =>
        {
            options.Actors.RegisterActor<StateProbeActor>();
            options.HttpEndpoint = sidecar.HttpEndpoint.ToString().TrimEnd('/');
            options.JsonSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web); // as logic's
        });
        var app = builder.Build();
        app.MapActorsHandlers();
        await app.StartAsync();
        await sidecar.AttachAppAsync(ListeningAddress.Of(app));
        return app;
    }
}

public interface IStateProbe : IActor
{
    Task Run(string scenarioKey);
}

/// <summary>Runs a test's scenario inside its turn, on the session state of its id (the session id).</summary>
public sealed class StateProbeActor(ActorHost host) : Actor(host), IStateProbe
{
    private static readonly ConcurrentDictionary<string, ScenarioRun> Runs = new();

    public static ScenarioRun Expect(Func<ISessionState, Task> scenario)
    {
        var run = new ScenarioRun(Guid.NewGuid().ToString("N"), scenario);
        Runs[run.Key] = run;
        return run;
    }

    public async Task Run(string scenarioKey)
    {
        Assert.True(Runs.TryRemove(scenarioKey, out var run));
        try
        {
            await run.Scenario(new ActorSessionState(StateManager, Id.GetId()));
            run.Done.SetResult();
        }
        catch (Exception e)
        {
            run.Done.SetException(e);
        }
    }

    public sealed record ScenarioRun(string Key, Func<ISessionState, Task> Scenario)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
