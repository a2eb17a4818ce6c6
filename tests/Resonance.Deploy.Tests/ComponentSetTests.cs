using Resonance.Contracts;

namespace Resonance.Deploy.Tests;

/// <summary>
/// Each component set holds what the code uses, under the names the code uses, with metadata names Dapr
/// knows and no secret written inline. Dapr ignores an unknown metadata name silently, so these checks
/// are the only thing that catches a misspelt one before a real run.
/// </summary>
public sealed class ComponentSetTests
{
    private static readonly string[] SharedKeyPrefixes = ["none", "name"];
    private static readonly string[] ValueSources = ["value", "secretKeyRef", "envRef"];
    private static readonly string[] Topics = [DaprNames.BroadcastsTopic, DaprNames.PushEventsTopic, DaprNames.PushEventsDeadLetterTopic];
    private static readonly string[] SecretWords = ["password", "secret", "token", "connectionstring"];

    public static TheoryData<string> Sets => ComponentSets.All;

    [Theory]
    [MemberData(nameof(Sets))]
    public void Names_are_unique_because_daprd_refuses_a_duplicate_whatever_its_scopes(string set)
    {
        var components = ComponentSets.Load(set).Components;
        Assert.NotEmpty(components);
        Assert.All(components.GroupBy(c => c.Name), g => Assert.True(g.Count() == 1, $"{set}: {g.Count()} components named {g.Key}"));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void The_pubsub_and_the_routes_store_the_code_names_are_there(string set)
    {
        var components = ComponentSets.Load(set).Components;
        var pubsub = Assert.Single(components, c => c.Name == DaprNames.PubSub);
        Assert.Equal("pubsub", pubsub.Block);
        Assert.Empty(pubsub.Scopes); // logic publishes, task and every gateway subscribe

        var routes = Assert.Single(components, c => c.Name == DaprNames.RouteStore);
        Assert.Equal("state", routes.Block);
        Assert.Contains(routes.Value("keyPrefix"), SharedKeyPrefixes); // one key space for every app-id
        Assert.Empty(routes.Scopes); // every gateway shard, whatever its app-id
        Assert.False(routes.IsActorStateStore);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Exactly_one_actor_state_store_and_logic_loads_it(string set)
    {
        var actorStore = Assert.Single(ComponentSets.Load(set).Components, c => c.IsActorStateStore);
        Assert.True(actorStore.Scopes.Count == 0 || actorStore.Scopes.Contains(DaprNames.LogicAppId), $"{actorStore} is not loaded by {DaprNames.LogicAppId}");
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Every_metadata_name_is_one_Dapr_knows_for_that_component(string set)
    {
        foreach (var component in ComponentSets.Load(set).Components)
        {
            var known = DaprMetadataCatalog.Find(component.Type, component.Version);
            Assert.True(known is not null, $"{set}: {component} is not in dapr-metadata.json ({DaprMetadataCatalog.Source}); add it to refresh-dapr-metadata.py");
            foreach (var entry in component.Metadata)
            {
                var name = entry.Str("name");
                Assert.True(name is not null && known.Names.Contains(name), $"{set}: {component} has metadata \"{name}\", which Dapr does not know for {component.Type}/{component.Version}");
                var sources = ValueSources.Count(k => entry.At(k) is not null);
                Assert.True(sources == 1, $"{set}: {component} metadata {name} needs exactly one of value, secretKeyRef, envRef");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Secrets_are_referenced_never_written_inline(string set)
    {
        var resources = ComponentSets.Load(set);
        foreach (var component in resources.Components)
        {
            var sensitive = DaprMetadataCatalog.Find(component.Type, component.Version)?.Sensitive ?? new HashSet<string>();
            foreach (var entry in component.Metadata)
            {
                var name = entry.Str("name")!;
                if (sensitive.Contains(name) || LooksSecret(name))
                {
                    Assert.True(entry.At("value") is null, $"{set}: {component} writes {name} inline; use a secretKeyRef");
                }

                if (entry.At("secretKeyRef") is { } reference)
                {
                    Assert.False(string.IsNullOrEmpty(reference.Str("name")), $"{set}: {component} {name} secretKeyRef without a name");
                    Assert.False(string.IsNullOrEmpty(reference.Str("key")), $"{set}: {component} {name} secretKeyRef without a key");

                    // In Kubernetes an empty auth.secretStore is the built-in kubernetes store (dapr/dapr pkg/runtime/meta/meta.go);
                    // self-hosted has no default, so it must name a secret store of the set.
                    if (set != ComponentSets.Kubernetes || component.SecretStore is not null)
                    {
                        Assert.Contains(resources.Components, c => c.Name == component.SecretStore && c.Block == "secretstores");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Scopes_name_only_app_ids_that_exist(string set)
    {
        var appIds = DaprRunTemplate.Load().Apps.Select(a => a.AppId).ToHashSet(StringComparer.Ordinal);
        Assert.All(ComponentSets.Load(set).Components, c => Assert.All(c.Scopes, scope => Assert.Contains(scope, appIds)));
    }

    [Fact]
    public void The_NATS_stream_the_README_and_component_ask_for_covers_every_topic()
    {
        // JetStream needs its stream made beforehand (components-contrib pubsub/jetstream never adds one).
        var file = File.ReadAllText(Repository.PathOf("components/nats/pubsub.yaml"));
        var subjects = System.Text.RegularExpressions.Regex.Match(file, "--subjects \"([^\"]+)\"").Groups[1].Value.Split(',');
        Assert.Equal(Topics.Order(StringComparer.Ordinal), subjects.Order(StringComparer.Ordinal));
    }

    private static bool LooksSecret(string name) =>
        SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));
}
