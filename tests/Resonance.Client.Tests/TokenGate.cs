namespace Resonance.Client.Tests;

/// <summary>
/// A token provider that answers the first connect at once and holds every later one until
/// <see cref="Open"/>, so a test decides what happens while the client is disconnected.
/// </summary>
internal sealed class TokenGate(string token)
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public void Open() => _open.TrySetResult();

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _calls) > 1)
        {
            await _open.Task.WaitAsync(cancellationToken);
        }

        return token;
    }
}
