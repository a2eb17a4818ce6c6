using System.Net;
using Dapr;
using Dapr.Client;
using Grpc.Core;
using Resonance.Contracts;
using Resonance.FakeDapr;

namespace Resonance.DaprEngine.Tests;

/// <summary>
/// The fake sidecar refuses calls without the Dapr API token as daprd with <c>DAPR_API_TOKEN</c> does, so the
/// cluster tests (which run every app with that token) show that every call the apps make carries it.
/// </summary>
public sealed class SidecarApiTokenTests
{
    [Fact]
    public async Task A_call_without_the_token_is_refused_on_both_APIs_but_health_and_one_with_it_is_served()
    {
        await using var dapr = new FakeDaprCluster(new FakeDaprOptions { StateStores = [new FakeStateStore(DaprNames.RouteStore, KeyPrefix.None)] });
        var sidecar = await dapr.StartSidecarAsync("task", new SidecarTokens(DaprApiToken: "the-token"));

        using var without = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString()).Build();
        var refused = await Assert.ThrowsAsync<DaprException>(() => without.GetStateAsync<string>(DaprNames.RouteStore, "user-alice"));
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(refused.InnerException).StatusCode);

        using var http = new HttpClient { BaseAddress = sidecar.HttpEndpoint };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1.0/actors/SessionActor/s1/state/head")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await http.GetAsync("/v1.0/healthz")).StatusCode); // no app attached: not ready, token or not
        Assert.Equal(HttpStatusCode.NoContent, (await http.GetAsync("/v1.0/healthz/outbound")).StatusCode);

        using var with = new DaprClientBuilder().UseHttpEndpoint(sidecar.HttpEndpoint.ToString()).UseGrpcEndpoint(sidecar.GrpcEndpoint.ToString()).UseDaprApiToken("the-token").Build();
        await with.SaveStateAsync(DaprNames.RouteStore, "user-alice", "gateway-1");
        Assert.Equal("gateway-1", await with.GetStateAsync<string>(DaprNames.RouteStore, "user-alice"));
    }
}
