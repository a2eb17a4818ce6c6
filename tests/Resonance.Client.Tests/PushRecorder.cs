using System.Threading.Channels;
using Resonance.Contracts.V1;

namespace Resonance.Client.Tests;

/// <summary>Collects what a subscription delivers, so a test can await the next N pushes.</summary>
internal sealed class PushRecorder
{
    private readonly Channel<Push> _pushes = Channel.CreateUnbounded<Push>();

    public void Record(Push push) => _pushes.Writer.TryWrite(push);

    /// <summary>The next <paramref name="count"/> deliveries, in delivery order.</summary>
    public async Task<List<Push>> NextAsync(int count)
    {
        var pushes = new List<Push>(count);
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        while (pushes.Count < count)
        {
            pushes.Add(await _pushes.Reader.ReadAsync(timeout.Token));
        }

        return pushes;
    }
}
