using System.Collections.Concurrent;
using System.Diagnostics;
using Resonance.Bench.Comparison;
using Resonance.Bench.Infrastructure;
using Resonance.Bench.Reporting;

namespace Resonance.Bench.Connections;

/// <summary>
/// The hidden <c>connect-worker</c> command: a client process holding part of the <c>connections</c> run's sockets,
/// so that the open-file limit of one process caps only the server. Gets its users' tokens (<c>prepared</c>),
/// connects them all on <c>go</c> (<c>progress</c>, then <c>ready</c>), and on <c>close</c> reports how many are
/// still open (<c>held</c>), closes them and ends (<c>closed</c>).
/// </summary>
internal static class ConnectWorker
{
    private const int ConnectParallelism = 32;
    private const int TokenParallelism = 16;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(string system, Uri baseAddress, string prefix, int from, int count, CancellationToken cancellationToken)
    {
        string[] tokens = [];
        if (system == FanoutComparison.Resonance)
        {
            using var rest = new RestClient(baseAddress);
            var users = Enumerable.Range(from, count).Select(i => UserName(prefix, i)).ToArray();
            tokens = await rest.GetTokensAsync(users, TokenParallelism, cancellationToken);
        }

        ParentLink.Send(new { @event = "prepared", count });
        if (await ParentLink.ReadCommandAsync(cancellationToken) != "go")
        {
            return 1;
        }

        var held = new HeldConnection?[count];
        var latency = new LatencyRecorder();
        var errors = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var connected = 0;
        using var progress = new Timer(_ => ParentLink.Send(new { @event = "progress", connected = Volatile.Read(ref connected) }), null, ProgressInterval, ProgressInterval);
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var began = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(ConnectTimeout);
                held[i] = await IdleConnector.ConnectAsync(system, baseAddress, tokens.Length > 0 ? tokens[i] : null, timeout.Token);
                latency.Record(began, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref connected);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                errors.AddOrUpdate($"{ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
            }
        });
        await progress.DisposeAsync();

        var summary = latency.Summarize("connect → accepted");
        ParentLink.Send(new
        {
            @event = "ready",
            connected,
            failed = count - connected,
            errors = errors.OrderByDescending(e => e.Value).Take(3).Select(e => $"{e.Value}× {e.Key}").ToArray(),
            connectMs = new { p50 = summary.P50Ms, p99 = summary.P99Ms, max = summary.MaxMs },
        });

        // Idle until told to close (or until the parent goes away).
        while (await ParentLink.ReadCommandAsync(cancellationToken) is { } command && command != "close")
        {
        }

        ParentLink.Send(new { @event = "held", open = held.Count(h => h is { IsOpen: true }) });
        await Parallel.ForEachAsync(held.Where(h => h is not null), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (h, _) => await h!.Connection.DisposeAsync());
        ParentLink.Send(new { @event = "closed" });
        return 0;
    }

    public static string UserName(string prefix, int index) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefix}-c{index}");
}
