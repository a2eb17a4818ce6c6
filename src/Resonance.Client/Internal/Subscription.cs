namespace Resonance.Client.Internal;

/// <summary>Runs its unsubscribe action once, however often it is disposed.</summary>
internal sealed class Subscription(Action unsubscribe) : IDisposable
{
    private Action? _unsubscribe = unsubscribe;

    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}
