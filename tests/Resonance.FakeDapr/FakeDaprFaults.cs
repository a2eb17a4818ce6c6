using System.Collections.Concurrent;

namespace Resonance.FakeDapr;

/// <summary>Faults the fake cluster injects, all off by default; tests turn them on and off while running.</summary>
public sealed class FakeDaprFaults
{
    private readonly ConcurrentDictionary<string, bool> _failingApps = new(StringComparer.Ordinal);

    /// <summary>Every event is delivered this many extra times (at-least-once delivery made visible).</summary>
    public int ExtraDeliveries { get; set; }

    /// <summary>Each delivery waits a random time up to this first, so events of a topic overtake each other.</summary>
    public TimeSpan MaxDeliveryJitter { get; set; }

    /// <summary>Seed of the jitter, so a failing run can be repeated.</summary>
    public Random Random { get; } = new(20261202);

    /// <summary>Service invocation to the app-id fails as daprd fails it for an unreachable app, until <see cref="RestoreInvocations"/>.</summary>
    public void FailInvocations(string appId) => _failingApps[appId] = true;

    public void RestoreInvocations(string appId) => _failingApps.TryRemove(appId, out _);

    internal bool InvocationsFail(string appId) => _failingApps.ContainsKey(appId);

    internal TimeSpan NextJitter()
    {
        if (MaxDeliveryJitter <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        lock (Random)
        {
            return MaxDeliveryJitter * Random.NextDouble();
        }
    }
}
