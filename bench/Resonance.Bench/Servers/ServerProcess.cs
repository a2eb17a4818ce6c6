using System.Text.Json;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Servers;

/// <summary>The bench's handle on a server it started in a child process (<see cref="ServerChild"/>).</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly ChildProcess _child;

    private ServerProcess(ChildProcess child, string system, Uri baseAddress)
    {
        _child = child;
        System = system;
        BaseAddress = baseAddress;
    }

    public string System { get; }

    public Uri BaseAddress { get; }

    public int Pid => _child.Id;

    public bool HasExited => _child.HasExited;

    public static async Task<ServerProcess> StartAsync(string system, string synchronous, CancellationToken cancellationToken)
    {
        var child = ChildProcess.Start($"{system} server", ["serve", "--system", system, "--synchronous", synchronous]);
        try
        {
            var listening = await child.WaitForAsync("listening", cancellationToken);
            return new ServerProcess(child, system, new Uri(listening.GetProperty("url").GetString()!));
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>Has the server collect its garbage and report its heap, then reads its RSS.</summary>
    public async Task<MemorySample> MeasureAsync(CancellationToken cancellationToken)
    {
        await _child.SendAsync("memory", cancellationToken);
        var reply = await _child.WaitForAsync("memory", cancellationToken);
        var memory = reply.Deserialize<ServerMemory>(JsonSerializerOptions.Web)!;
        return new MemorySample(ProcessStatus.ResidentBytes(Pid) ?? 0, memory);
    }

    public TimeSpan CpuTime() => ProcessStatus.CpuTime(Pid);

    public ValueTask DisposeAsync() => _child.DisposeAsync();
}
