namespace Resonance.Deploy.Tests;

/// <summary>Every set of Dapr resources Resonance ships: the local sets (as dapr.yaml would point at them) and the rendered Kubernetes manifests.</summary>
internal static class ComponentSets
{
    /// <summary>Folders under components/: the default set and each alternative. Each is used with resiliency/.</summary>
    public static readonly string[] LocalSets = ["components", "components/nats", "components/kafka", "components/postgresql"];

    public const string Kubernetes = "deploy/k8s";

    public static TheoryData<string> All => [.. LocalSets, Kubernetes];

    public static DaprResources Load(string set) => set == Kubernetes
        ? new DaprResources($"kubectl kustomize {Kubernetes}", Kustomize.Render(Kubernetes))
        : DaprResources.FromFolders([Repository.PathOf(set), Repository.PathOf("resiliency")]);
}
