using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Servers;

/// <summary>
/// The hidden <c>serve</c> command: one server in a process of its own, so that its RSS and CPU are its own.
/// Tells the parent where it listens (<c>listening</c>), answers <c>memory</c> with a <see cref="ServerMemory"/>,
/// and stops when its standard input closes.
/// </summary>
internal static class ServerChild
{
    public static async Task<int> RunAsync(string system, string synchronous, CancellationToken cancellationToken)
    {
        var (baseAddress, server) = await ServedSystems.StartAsync(system, synchronous, cancellationToken);
        await using (server)
        {
            ParentLink.Send(new { @event = "listening", url = baseAddress.ToString(), pid = Environment.ProcessId });
            while (await ParentLink.ReadCommandAsync(cancellationToken) is { } command)
            {
                if (command == "memory")
                {
                    var memory = ServerMemory.CollectNow();
                    ParentLink.Send(new { @event = "memory", memory.LiveBytes, memory.HeapSizeBytes, memory.CommittedBytes });
                }
            }
        }

        return 0;
    }
}
