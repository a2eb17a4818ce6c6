namespace Resonance.TaskService;

/// <summary><c>dotnet run --project services/task</c>: the push pipeline on the Dapr engine, beside its sidecar.</summary>
public static class Program
{
    public static Task Main(string[] args) => TaskApp.Create(args).RunAsync();
}
