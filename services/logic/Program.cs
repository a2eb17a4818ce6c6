namespace Resonance.Logic;

/// <summary><c>dotnet run --project services/logic</c>: the logic service on the Dapr engine, beside its sidecar.</summary>
public static class Program
{
    public static Task Main(string[] args) => LogicApp.Create(args).RunAsync();
}
