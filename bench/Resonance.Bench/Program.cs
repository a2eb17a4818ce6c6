namespace Resonance.Bench;

internal static class Program
{
    public static Task<int> Main(string[] args) => BenchCommand.Build().Parse(args).InvokeAsync();
}
