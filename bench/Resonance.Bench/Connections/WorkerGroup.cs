using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Connections;

/// <summary>The client worker processes of one <c>connections</c> run (<see cref="ConnectWorker"/>), driven as one.</summary>
internal sealed class WorkerGroup : IAsyncDisposable
{
    private readonly ChildProcess[] _workers;
    private readonly int[] _counts;

    private WorkerGroup(ChildProcess[] workers, int[] counts)
    {
        _workers = workers;
        _counts = counts;
    }

    /// <summary>Starts <paramref name="workers"/> processes sharing <paramref name="count"/> users and waits until each has its tokens.</summary>
    public static async Task<WorkerGroup> StartAsync(string system, Uri baseAddress, string prefix, int count, int workers, CancellationToken cancellationToken)
    {
        workers = Math.Clamp(workers, 1, count);
        var counts = new int[workers];
        var processes = new ChildProcess[workers];
        var from = 0;
        for (var w = 0; w < workers; w++)
        {
            counts[w] = (count / workers) + (w < count % workers ? 1 : 0);
            processes[w] = ChildProcess.Start($"{system} worker {w}", [
                "connect-worker", "--system", system, "--url", baseAddress.ToString(), "--prefix", prefix,
                "--from", from.ToString(CultureInfo.InvariantCulture), "--count", counts[w].ToString(CultureInfo.InvariantCulture)]);
            from += counts[w];
        }

        var group = new WorkerGroup(processes, counts);
        try
        {
            await Task.WhenAll(processes.Select(p => p.WaitForAsync("prepared", cancellationToken)));
            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>Tells every worker to connect at once; returns when all are done, with the time from "go" to the last one.</summary>
    public async Task<WorkerConnectResult> ConnectAsync(Action<int> onProgress, CancellationToken cancellationToken)
    {
        var connected = new int[_workers.Length];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(_workers.Select(w => w.SendAsync("go", cancellationToken)));
        var ready = await Task.WhenAll(_workers.Select(async (worker, index) =>
        {
            while (await worker.ReadAsync(cancellationToken) is { } message)
            {
                switch (message.GetProperty("event").GetString())
                {
                    case "progress":
                        connected[index] = message.GetProperty("connected").GetInt32();
                        onProgress(connected.Sum());
                        break;
                    case "ready":
                        connected[index] = message.GetProperty("connected").GetInt32();
                        onProgress(connected.Sum());
                        return message;
                }
            }

            throw new InvalidOperationException($"Worker {index} exited before it was ready.");
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new WorkerConnectResult(
            ready.Sum(r => r.GetProperty("connected").GetInt32()),
            ready.Sum(r => r.GetProperty("failed").GetInt32()),
            elapsed,
            ready.Max(r => r.GetProperty("connectMs").GetProperty("p50").GetDouble()),
            ready.Max(r => r.GetProperty("connectMs").GetProperty("p99").GetDouble()),
            ready.Max(r => r.GetProperty("connectMs").GetProperty("max").GetDouble()),
            [.. ready.SelectMany(r => r.GetProperty("errors").EnumerateArray().Select(e => e.GetString() ?? string.Empty))]);
    }

    /// <summary>Asks every worker how many of its connections are still open, then has them close all and exit.</summary>
    public async Task<int> CloseAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(_workers.Select(w => w.SendAsync("close", cancellationToken)));
        var held = await Task.WhenAll(_workers.Select(w => w.WaitForAsync("held", cancellationToken)));
        await Task.WhenAll(_workers.Select(w => w.WaitForAsync("closed", cancellationToken)));
        return held.Sum(h => h.GetProperty("open").GetInt32());
    }

    public int Count => _counts.Sum();

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
    }
}
