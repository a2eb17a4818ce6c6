using System.Text.Json.Nodes;

namespace Resonance.Deploy.Tests;

/// <summary>The Dapr Configuration (local and Kubernetes) uses fields of dapr/dapr pkg/config/configuration.go and what the CRD requires.</summary>
public sealed class ConfigurationTests
{
    private static readonly string[] TopKeys = ["apiVersion", "kind", "metadata", "spec"];
    private static readonly string[] SpecKeys = ["tracing", "metric"];
    private static readonly string[] TracingKeys = ["samplingRate", "otel"];
    private static readonly string[] Protocols = ["grpc", "http"];
    private static readonly string[] Booleans = ["true", "false"];

    public static TheoryData<string> Configurations => ["config/dapr-config.yaml", ComponentSets.Kubernetes];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Tracing_by_OpenTelemetry_and_metrics_with_fields_Dapr_reads(string source)
    {
        var configuration = Load(source);
        Assert.All(configuration.Keys(), key => Assert.Contains(key, TopKeys));
        Assert.All(configuration.Keys("spec"), key => Assert.Contains(key, SpecKeys));
        Assert.All(configuration.Keys("spec", "tracing"), key => Assert.Contains(key, TracingKeys));

        // The CRD (charts/dapr/crds/configuration.yaml) requires samplingRate, and all three otel fields.
        var rate = double.Parse(configuration.Str("spec", "tracing", "samplingRate")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rate, 0.0001, 1);
        Assert.Equal(["endpointAddress", "isSecure", "protocol"], configuration.Keys("spec", "tracing", "otel").Order(StringComparer.Ordinal));
        Assert.Contains(configuration.Str("spec", "tracing", "otel", "protocol"), Protocols);
        Assert.Contains(configuration.Str("spec", "tracing", "otel", "isSecure"), Booleans);
        Assert.Equal(["enabled"], configuration.Keys("spec", "metric"));
    }

    [Fact]
    public void Both_run_with_the_configuration_named_resonance()
    {
        Assert.Equal("resonance", Load("config/dapr-config.yaml").Str("metadata", "name"));
        Assert.Equal("resonance", Load(ComponentSets.Kubernetes).Str("metadata", "name"));
    }

    private static JsonObject Load(string source) => source == ComponentSets.Kubernetes
        ? Assert.Single(ComponentSets.Load(source).Configurations)
        : Yaml.SingleDocument(Repository.PathOf(source));
}
