namespace Resonance.Gateway;

/// <summary><c>dotnet run --project services/gateway</c>: one gateway on the Dapr engine, beside its sidecar.</summary>
public static class Program
{
    public static Task Main(string[] args) => GatewayApp.Create(args).RunAsync();
}
