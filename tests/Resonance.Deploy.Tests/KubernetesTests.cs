using System.Text.Json.Nodes;
using Resonance.Contracts;
using Resonance.Gateway;

namespace Resonance.Deploy.Tests;

/// <summary>
/// <c>kubectl kustomize deploy/k8s</c> renders, and what it renders agrees with dapr.yaml and the code:
/// app-ids, ports, health endpoints, tokens, Dapr annotations the injector knows, pods that run as non-root
/// with requests and limits, one pod per gateway shard, one public Service in front of every shard.
/// </summary>
public sealed class KubernetesTests
{
    /// <summary>The annotations the sidecar injector reads (dapr/dapr pkg/injector/annotations/annotations.go, d8450742).</summary>
    private static readonly HashSet<string> InjectorAnnotations =
    [
        "dapr.io/actors-disseminate-timeout", "dapr.io/api-token-secret", "dapr.io/app-binding-options-timeout", "dapr.io/app-channel-address",
        "dapr.io/app-health-check-path", "dapr.io/app-health-probe-interval", "dapr.io/app-health-probe-timeout", "dapr.io/app-health-threshold",
        "dapr.io/app-id", "dapr.io/app-max-concurrency", "dapr.io/app-port", "dapr.io/app-protocol", "dapr.io/app-ssl", "dapr.io/app-token-secret",
        "dapr.io/block-shutdown-duration", "dapr.io/component-container", "dapr.io/config", "dapr.io/debug-port", "dapr.io/disable-builtin-k8s-secret-store",
        "dapr.io/disable-init-endpoints", "dapr.io/enable-api-logging", "dapr.io/enable-app-health-check", "dapr.io/enable-debug", "dapr.io/enable-metrics",
        "dapr.io/enable-native-sidecar", "dapr.io/enable-profiling", "dapr.io/enabled", "dapr.io/env", "dapr.io/env-from-secret", "dapr.io/graceful-shutdown-seconds",
        "dapr.io/grpc-port", "dapr.io/http-max-request-size", "dapr.io/http-read-buffer-size", "dapr.io/inject-pluggable-components", "dapr.io/internal-grpc-port",
        "dapr.io/log-as-json", "dapr.io/log-level", "dapr.io/max-body-size", "dapr.io/metrics-port", "dapr.io/placement-host-address",
        "dapr.io/pluggable-components", "dapr.io/pluggable-components-sockets-folder", "dapr.io/read-buffer-size", "dapr.io/scheduler-host-address",
        "dapr.io/sentry-request-jwt-audiences", "dapr.io/sidecar-cpu-limit", "dapr.io/sidecar-cpu-request", "dapr.io/sidecar-image",
        "dapr.io/sidecar-listen-addresses", "dapr.io/sidecar-liveness-probe-delay-seconds", "dapr.io/sidecar-liveness-probe-period-seconds",
        "dapr.io/sidecar-liveness-probe-threshold", "dapr.io/sidecar-liveness-probe-timeout-seconds", "dapr.io/sidecar-memory-limit",
        "dapr.io/sidecar-memory-request", "dapr.io/sidecar-readiness-probe-delay-seconds", "dapr.io/sidecar-readiness-probe-period-seconds",
        "dapr.io/sidecar-readiness-probe-threshold", "dapr.io/sidecar-readiness-probe-timeout-seconds", "dapr.io/sidecar-seccomp-profile-type",
        "dapr.io/sidecar-svc-annotations", "dapr.io/unix-domain-socket-path", "dapr.io/volume-mounts", "dapr.io/volume-mounts-rw",
    ];

    private static readonly string[] Deprecated = ["dapr.io/app-ssl", "dapr.io/http-max-request-size", "dapr.io/http-read-buffer-size"];

    private readonly IReadOnlyList<JsonObject> _rendered = Kustomize.Render(ComponentSets.Kubernetes);

    private IEnumerable<JsonObject> Deployments => _rendered.Where(d => d.Str("kind") == "Deployment");

    [Fact]
    public void One_deployment_per_app_id_of_dapr_yaml()
    {
        var runAppIds = DaprRunTemplate.Load().Apps.Select(a => a.AppId).Order(StringComparer.Ordinal);
        Assert.Equal(runAppIds, Deployments.Select(AppId).Order(StringComparer.Ordinal));
        Assert.All(Deployments, d => Assert.Equal(AppId(d), d.Str("metadata", "name")));
    }

    [Fact]
    public void Dapr_annotations_are_ones_the_injector_reads_and_agree_with_the_pod()
    {
        var configurations = _rendered.Where(d => d.Str("kind") == "Configuration").Select(d => d.Str("metadata", "name")).ToList();
        foreach (var deployment in Deployments)
        {
            var annotations = deployment.At("spec", "template", "metadata", "annotations");
            var daprKeys = annotations.Keys().Where(k => k.StartsWith("dapr.io/", StringComparison.Ordinal)).ToList();
            Assert.All(daprKeys, k => Assert.True(InjectorAnnotations.Contains(k) && !Deprecated.Contains(k), $"{AppId(deployment)}: {k} is not an annotation the injector reads (or is deprecated)"));
            Assert.Equal("true", annotations.Str("dapr.io/enabled"));
            Assert.Equal("http", annotations.Str("dapr.io/app-protocol"));
            Assert.Contains(annotations.Str("dapr.io/config"), configurations);

            var app = Container(deployment);
            var port = Assert.Single(app.Objects("ports"), p => p.Str("name") == "http").Str("containerPort");
            Assert.Equal(port, annotations.Str("dapr.io/app-port"));
            Assert.Equal(port, Env(app, "APP_PORT")?.Str("value")); // the injector sets no APP_PORT; the app binds it
            Assert.Equal("metadata.annotations['dapr.io/app-id']", Env(app, "APP_ID")?.Str("valueFrom", "fieldRef", "fieldPath"));
            Assert.Contains("--Resonance:Engine=Dapr", app.Strings("args"));

            Assert.Equal("true", annotations.Str("dapr.io/enable-app-health-check"));
            Assert.Equal("/healthz", annotations.Str("dapr.io/app-health-check-path"));
            Assert.Equal("/healthz", app.Str("readinessProbe", "httpGet", "path"));
            Assert.Equal("/healthz", app.Str("livenessProbe", "httpGet", "path"));
        }
    }

    [Theory]
    [InlineData("dapr.io/app-token-secret", "APP_API_TOKEN")] // daprd presents it to the app, which checks it
    [InlineData("dapr.io/api-token-secret", "DAPR_API_TOKEN")] // the app presents it to daprd, which checks it
    public void Both_sides_of_each_token_come_from_one_secret(string annotation, string appVariable)
    {
        foreach (var deployment in Deployments)
        {
            // The injector gives daprd the variable from key "token" of the annotation's Secret, and the app nothing (sidecar_container.go).
            var secret = deployment.Str("spec", "template", "metadata", "annotations", annotation);
            Assert.False(string.IsNullOrEmpty(secret), $"{AppId(deployment)} has no {annotation}");
            var token = Env(Container(deployment), appVariable);
            Assert.Equal(secret, token?.Str("valueFrom", "secretKeyRef", "name"));
            Assert.Equal("token", token?.Str("valueFrom", "secretKeyRef", "key"));
        }
    }

    [Fact]
    public void Pods_run_as_non_root_with_requests_limits_and_a_grace_period_longer_than_the_drain()
    {
        foreach (var deployment in Deployments)
        {
            var pod = deployment.At("spec", "template", "spec");
            Assert.Equal("true", pod.Str("securityContext", "runAsNonRoot"));
            Assert.Equal("RuntimeDefault", pod.Str("securityContext", "seccompProfile", "type"));
            var app = Container(deployment);
            Assert.Equal("false", app.Str("securityContext", "allowPrivilegeEscalation"));
            Assert.Equal("true", app.Str("securityContext", "readOnlyRootFilesystem"));
            Assert.Equal(["ALL"], app.Strings("securityContext", "capabilities", "drop"));
            foreach (var kind in new[] { "requests", "limits" })
            {
                Assert.NotNull(app.Str("resources", kind, "cpu"));
                Assert.NotNull(app.Str("resources", kind, "memory"));
            }

            // Longer than the host's shutdown: the .NET default of 30 s, within which a gateway closes its
            // sockets (each given Gateway:CloseTimeout) and withdraws its routes through daprd.
            var grace = TimeSpan.FromSeconds(int.Parse(pod.Str("terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(grace > TimeSpan.FromSeconds(30) + new GatewayOptions().CloseTimeout, $"{AppId(deployment)}: grace period {grace}");
            // Only a gateway keeps its sidecar while it drains; logic's would keep actors placed on a stopped replica.
            var blockShutdown = deployment.Str("spec", "template", "metadata", "annotations", "dapr.io/block-shutdown-duration");
            Assert.Equal(AppId(deployment).StartsWith("gateway-", StringComparison.Ordinal), blockShutdown is not null);
            Assert.True(blockShutdown is null || GoDuration.Parse(blockShutdown) < grace, $"{AppId(deployment)}: daprd would outlive the pod's grace period");
        }
    }

    [Fact]
    public void Each_gateway_shard_is_one_pod_of_its_own_app_id_and_one_Service_reaches_them_all()
    {
        var gateways = Deployments.Where(d => AppId(d).StartsWith("gateway-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gateways.Count);
        foreach (var gateway in gateways)
        {
            // Two pods of one app-id would split its pushes: task sends a user's messages to the app-id, not the pod.
            Assert.Equal("1", gateway.Str("spec", "replicas"));
            Assert.Equal("Recreate", gateway.Str("spec", "strategy", "type"));
            Assert.Equal(AppId(gateway), gateway.Str("spec", "selector", "matchLabels", "app.kubernetes.io/instance"));
            Assert.Equal(AppId(gateway), gateway.Str("spec", "template", "metadata", "labels", "app.kubernetes.io/instance"));
            Assert.Equal("signing-key", Env(Container(gateway), "Auth__SigningKey")?.Str("valueFrom", "secretKeyRef", "key"));
        }

        var service = Assert.Single(_rendered, d => d.Str("kind") == "Service");
        var selector = (JsonObject)service.At("spec", "selector")!;
        Assert.All(gateways, g => Assert.All(selector, pair => Assert.Equal(pair.Value!.GetValue<string>(), g.Str("spec", "template", "metadata", "labels", pair.Key))));
        Assert.DoesNotContain(Deployments.Except(gateways), d => selector.All(pair => d.Str("spec", "template", "metadata", "labels", pair.Key) == pair.Value!.GetValue<string>()));
        Assert.Equal("http", service.Objects("spec", "ports").Single().Str("targetPort"));

        var ingress = Yaml.SingleDocument(Repository.PathOf("deploy/k8s/examples/ingress.yaml"));
        var paths = ingress.Objects("spec", "rules").Single().Objects("http", "paths").ToList();
        Assert.All(paths, p => Assert.Equal((service.Str("metadata", "name"), "http"), (p.Str("backend", "service", "name"), p.Str("backend", "service", "port", "name"))));

        // Clients' routes only: metrics, health, Dapr's and internal routes stay inside the cluster.
        Assert.Contains(paths, p => p.Str("path") == "/ws");
        Assert.Contains(paths, p => p.Str("path") == "/api" && p.Str("pathType") == "Prefix");
        Assert.All(paths, p => Assert.True(p.Str("pathType") == "Exact" || p.Str("path") is "/ws" or "/api", $"{p.Str("path")} is a prefix that reaches more than clients use"));
    }

    [Fact]
    public void Each_pod_runs_the_image_its_project_publishes()
    {
        // The app's project is the one dapr.yaml runs for that app-id; dotnet publish -t:PublishContainer names the image by ContainerRepository.
        var template = DaprRunTemplate.Load();
        foreach (var deployment in Deployments)
        {
            var project = Directory.GetFiles(template.App(AppId(deployment)).AppDirectory, "*.csproj").Single();
            var repository = System.Xml.Linq.XDocument.Load(project).Descendants("ContainerRepository").Single().Value;
            Assert.Equal(repository, Container(deployment).Str("image")!.Split(':')[0]);
        }
    }

    [Fact]
    public void Logic_and_task_run_more_than_one_replica()
    {
        Assert.All(Deployments.Where(d => AppId(d) is DaprNames.LogicAppId or "task"), d =>
            Assert.True(int.Parse(d.Str("spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2, $"{AppId(d)} replicas"));
    }

    [Fact]
    public void Everything_lives_in_the_namespace_the_secrets_are_made_in()
    {
        Assert.All(_rendered.Where(d => d.Str("kind") != "Namespace"), d => Assert.Equal("resonance", d.Str("metadata", "namespace")));
    }

    private static string AppId(JsonObject deployment) => deployment.Str("spec", "template", "metadata", "annotations", "dapr.io/app-id")!;

    private static JsonObject Container(JsonObject deployment) =>
        Assert.Single(deployment.Objects("spec", "template", "spec", "containers"), c => c.Str("name") == "app");

    private static JsonObject? Env(JsonObject container, string name) => container.Objects("env").SingleOrDefault(e => e.Str("name") == name);
}
