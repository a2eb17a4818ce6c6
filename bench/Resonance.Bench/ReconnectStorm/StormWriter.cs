using System.Diagnostics;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.ReconnectStorm;

/// <summary>The writer during the storm: stores messages round robin over the sessions on a fixed schedule until told to stop.</summary>
internal static class StormWriter
{
    /// <summary>Each stored (acked) message calls <paramref name="onStored"/>; returns once every send begun is acked.</summary>
    public static async Task WriteOnScheduleAsync(AckedSender writer, string[] sessionIds, double rate, Action onStored, CancellationToken stop)
    {
        if (rate <= 0)
        {
            return;
        }

        var pending = new List<Task>();
        var interval = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(i * interval));
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop);
                }

                pending.Add(StoreAsync(sessionIds[i % sessionIds.Length]));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The storm is over.
        }

        await Task.WhenAll(pending);

        async Task StoreAsync(string sessionId)
        {
            // Not cancelled with the schedule: a send on the wire is waited for, so its seq counts.
            await writer.SendAsync(sessionId, "during the storm", CancellationToken.None).WaitAsync(ReconnectStormScenario.StepTimeout, CancellationToken.None);
            onStored();
        }
    }
}
