using System.Text.Json.Nodes;
using Resonance.Contracts;
using Resonance.Hosting.Dapr;
using Resonance.TaskService;

namespace Resonance.Deploy.Tests;

/// <summary>
/// resiliency.yaml uses only the fields of dapr/dapr pkg/apis/resiliency/v1alpha1/types.go, every policy a
/// target names exists, targets are what the code calls, and daprd gives up before the apps' own deadlines.
/// </summary>
public sealed class ResiliencyTests
{
    private static readonly string[] RetryFields = ["policy", "duration", "maxInterval", "maxRetries", "matching"];
    private static readonly string[] MatchingFields = ["httpStatusCodes", "gRPCStatusCodes"];
    private static readonly string[] CircuitBreakerFields = ["maxRequests", "interval", "timeout", "trip"];
    private static readonly string[] AppTargetFields = ["timeout", "retry", "circuitBreaker", "circuitBreakerCacheSize"];
    private static readonly string[] ActorTargetFields = ["timeout", "retry", "circuitBreaker", "circuitBreakerScope", "circuitBreakerCacheSize"];
    private static readonly string[] RetryPolicies = ["constant", "exponential"];
    private static readonly string[] PolicyNameFields = ["timeout", "retry", "circuitBreaker"];

    public static TheoryData<string> Sets => ComponentSets.All;

    [Theory]
    [MemberData(nameof(Sets))]
    public void One_resiliency_with_only_fields_Dapr_reads(string set)
    {
        var resiliency = Assert.Single(ComponentSets.Load(set).Resiliencies);
        AssertKeys(resiliency, "apiVersion", "kind", "metadata", "spec", "scopes");
        AssertKeys(resiliency.At("spec"), "policies", "targets");
        AssertKeys(resiliency.At("spec", "policies"), "timeouts", "retries", "circuitBreakers");
        Assert.All(Policies(resiliency, "timeouts"), t => GoDuration.Parse(t.Value!.GetValue<string>()));
        foreach (var (_, retry) in Policies(resiliency, "retries"))
        {
            AssertKeys(retry, RetryFields);
            AssertKeys(retry.At("matching"), MatchingFields);
            Assert.Contains(retry.Str("policy") ?? "constant", RetryPolicies);
        }

        Assert.All(Policies(resiliency, "circuitBreakers"), cb => AssertKeys(cb.Value, CircuitBreakerFields));
        AssertKeys(resiliency.At("spec", "targets"), "apps", "actors", "components");
        Assert.All(Targets(resiliency, "apps"), t => AssertKeys(t.Value, AppTargetFields));
        Assert.All(Targets(resiliency, "actors"), t =>
        {
            AssertKeys(t.Value, ActorTargetFields);

            // "actor circuit breakers must include scope" (pkg/resiliency/resiliency.go).
            Assert.True(t.Value.Str("circuitBreaker") is null || t.Value.Str("circuitBreakerScope") is "id" or "type" or "both", $"actor {t.Key}: circuitBreaker without circuitBreakerScope");
        });
        Assert.All(Targets(resiliency, "components"), t =>
        {
            AssertKeys(t.Value, "inbound", "outbound");
            AssertKeys(t.Value.At("inbound"), PolicyNameFields);
            AssertKeys(t.Value.At("outbound"), PolicyNameFields);
        });
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Every_policy_a_target_names_exists(string set)
    {
        var resiliency = Assert.Single(ComponentSets.Load(set).Resiliencies);
        var uses = Targets(resiliency, "apps").Concat(Targets(resiliency, "actors")).Select(t => t.Value)
            .Concat(Targets(resiliency, "components").SelectMany(t => new[] { t.Value.At("inbound"), t.Value.At("outbound") }).OfType<JsonNode>());
        foreach (var use in uses)
        {
            AssertDefined(resiliency, "timeouts", use.Str("timeout"));
            AssertDefined(resiliency, "retries", use.Str("retry"));
            AssertDefined(resiliency, "circuitBreakers", use.Str("circuitBreaker"));
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Targets_are_the_app_ids_actor_types_and_components_the_code_uses(string set)
    {
        var resources = ComponentSets.Load(set);
        var resiliency = Assert.Single(resources.Resiliencies);
        Assert.Equal([DaprNames.LogicAppId], Targets(resiliency, "apps").Select(t => t.Key));
        Assert.Equal([DaprNames.SessionActorType, DaprNames.UserSessionsActorType], Targets(resiliency, "actors").Select(t => t.Key).Order(StringComparer.Ordinal));
        Assert.All(Targets(resiliency, "components"), t => Assert.Contains(resources.Components, c => c.Name == t.Key));

        // Gateway shards are not named, whatever their number: the DefaultApp policies cover them.
        Assert.Contains(Policies(resiliency, "timeouts"), p => p.Key == "DefaultAppTimeoutPolicy");
        Assert.Contains(Policies(resiliency, "circuitBreakers"), p => p.Key == "DefaultAppCircuitBreakerPolicy");
    }

    [Fact]
    public void Daprd_gives_up_before_the_apps_own_deadlines()
    {
        var resiliency = Assert.Single(ComponentSets.Load("components").Resiliencies);
        var logicTimeout = Timeout(resiliency, resiliency.Str("spec", "targets", "apps", DaprNames.LogicAppId, "timeout")!);
        Assert.True(logicTimeout < new DaprAppOptions().InvokeTimeout, $"logic's timeout {logicTimeout} is not below Dapr:InvokeTimeout");
        var pushTimeout = Timeout(resiliency, "DefaultAppTimeoutPolicy");
        Assert.True(pushTimeout < new TaskOptions().GatewayPushTimeout, $"the gateway push timeout {pushTimeout} is not below Task:GatewayPushTimeout");
    }

    [Theory]
    [InlineData("components", "pubsub.redis", "processingTimeout")]
    [InlineData("components/nats", "pubsub.jetstream", "ackWait")]
    [InlineData("components/postgresql", "pubsub.redis", "processingTimeout")]
    [InlineData(ComponentSets.Kubernetes, "pubsub.redis", "processingTimeout")]
    public void Daprd_is_done_retrying_an_event_before_the_broker_hands_it_out_again(string set, string type, string redeliveryAfter)
    {
        // Otherwise the broker gives a second copy of an event daprd is still retrying (the retries run on their own context).
        var resources = ComponentSets.Load(set);
        var resiliency = Assert.Single(resources.Resiliencies);
        var inbound = resiliency.At("spec", "targets", "components", DaprNames.PubSub, "inbound");
        var retry = resiliency.At("spec", "policies", "retries", inbound.Str("retry")!);
        Assert.Equal("constant", retry.Str("policy"));
        var tries = int.Parse(retry.Str("maxRetries")!, System.Globalization.CultureInfo.InvariantCulture) + 1;
        var retrying = (tries * Timeout(resiliency, inbound.Str("timeout")!)) + ((tries - 1) * GoDuration.Parse(retry.Str("duration")!));

        var pubsub = Assert.Single(resources.Components, c => c.Name == DaprNames.PubSub);
        Assert.Equal(type, pubsub.Type);
        var value = pubsub.Value(redeliveryAfter)!;
        var brokerWaits = long.TryParse(value, out var milliseconds) ? TimeSpan.FromMilliseconds(milliseconds) : GoDuration.Parse(value);
        Assert.True(retrying < brokerWaits, $"{set}: daprd may retry for {retrying}, the broker redelivers after {brokerWaits}");
    }

    private static TimeSpan Timeout(JsonObject resiliency, string name) => GoDuration.Parse(resiliency.Str("spec", "policies", "timeouts", name)!);

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Policies(JsonObject resiliency, string kind) =>
        resiliency.At("spec", "policies", kind) as JsonObject ?? [];

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Targets(JsonObject resiliency, string kind) =>
        resiliency.At("spec", "targets", kind) as JsonObject ?? [];

    private static void AssertDefined(JsonObject resiliency, string kind, string? name)
    {
        if (name is not null)
        {
            Assert.True(Policies(resiliency, kind).Any(p => p.Key == name), $"{kind} policy \"{name}\" is named by a target but not defined");
        }
    }

    private static void AssertKeys(JsonNode? node, params string[] allowed) =>
        Assert.All(node.Keys(), key => Assert.True(allowed.Contains(key), $"\"{key}\" is not a field Dapr reads here (only {string.Join(", ", allowed)})"));
}
