using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Resonance.Browser.Tests;

/// <summary>
/// Holds new WebSocket upgrade requests unanswered while holding, like a server or proxy whose
/// handshake hangs; a held request goes on once released, or ends when the client gives up.
/// </summary>
public sealed class SocketHold : IStartupFilter
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _release;
    private int _waiting;

    /// <summary>Upgrade requests waiting now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Hold()
    {
        lock (_lock)
        {
            _release ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _release?.TrySetResult();
            _release = null;
        }
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            Task? held;
            lock (_lock)
            {
                held = _release?.Task;
            }

            if (held is not null && context.Request.Path.StartsWithSegments("/ws"))
            {
                Interlocked.Increment(ref _waiting);
                try
                {
                    await held.WaitAsync(context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
