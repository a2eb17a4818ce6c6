using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Resonance.Contracts.V1;

namespace Resonance.Client.Internal;

/// <summary>
/// Hands pushes, broadcasts and state changes to the application on one loop of its own, in the
/// order they were queued. Callers queue under their own locks (which fixes the order) and the
/// application's handlers never run under those locks or on the socket's read loop.
/// </summary>
internal sealed partial class DeliveryQueue
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<ConnectionStateChangedEventArgs> _onStateChanged;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Task _running;

    // Copy-on-write, so the loop reads them without locking.
    private Dictionary<string, Action<Push>[]> _bySession = new(StringComparer.Ordinal);
    private Action<Push>[] _all = [];
    private Action<Broadcast>[] _broadcasts = [];

    public DeliveryQueue(Action<ConnectionStateChangedEventArgs> onStateChanged, ILogger logger)
    {
        _onStateChanged = onStateChanged;
        _logger = logger;
        _running = Task.Run(RunAsync);
    }

    public Task Completion => _running;

    public void Enqueue(Push push) => _queue.Writer.TryWrite(push);

    public void Enqueue(Broadcast broadcast) => _queue.Writer.TryWrite(broadcast);

    public void Enqueue(ConnectionStateChangedEventArgs change) => _queue.Writer.TryWrite(change);

    /// <summary>Delivers what is queued, then stops.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public IDisposable Subscribe(string sessionId, Action<Push> handler)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, Action<Push>[]>(_bySession, StringComparer.Ordinal);
            next[sessionId] = next.TryGetValue(sessionId, out var handlers) ? [.. handlers, handler] : [handler];
            _bySession = next;
        }

        return new Subscription(() =>
        {
            lock (_lock)
            {
                if (!_bySession.TryGetValue(sessionId, out var handlers))
                {
                    return;
                }

                var remaining = Without(handlers, handler);
                var next = new Dictionary<string, Action<Push>[]>(_bySession, StringComparer.Ordinal);
                if (remaining.Length == 0)
                {
                    next.Remove(sessionId);
                }
                else
                {
                    next[sessionId] = remaining;
                }

                _bySession = next;
            }
        });
    }

    public IDisposable SubscribeAll(Action<Push> handler)
    {
        lock (_lock)
        {
            _all = [.. _all, handler];
        }

        return new Subscription(() =>
        {
            lock (_lock)
            {
                _all = Without(_all, handler);
            }
        });
    }

    public IDisposable SubscribeBroadcasts(Action<Broadcast> handler)
    {
        lock (_lock)
        {
            _broadcasts = [.. _broadcasts, handler];
        }

        return new Subscription(() =>
        {
            lock (_lock)
            {
                _broadcasts = Without(_broadcasts, handler);
            }
        });
    }

    private static T[] Without<T>(T[] handlers, T handler)
        where T : Delegate
    {
        var index = Array.IndexOf(handlers, handler);
        return index < 0 ? handlers : [.. handlers[..index], .. handlers[(index + 1)..]];
    }

    private async Task RunAsync()
    {
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            switch (item)
            {
                case Push push:
                    if (Volatile.Read(ref _bySession).TryGetValue(push.SessionId, out var handlers))
                    {
                        Invoke(handlers, push);
                    }

                    Invoke(Volatile.Read(ref _all), push);
                    break;
                case Broadcast broadcast:
                    Invoke(Volatile.Read(ref _broadcasts), broadcast);
                    break;
                case ConnectionStateChangedEventArgs change:
                    Invoke([_onStateChanged], change);
                    break;
            }
        }
    }

    private void Invoke<T>(Action<T>[] handlers, T item)
    {
        foreach (var handler in handlers)
        {
            try
            {
                handler(item);
            }
            catch (Exception ex)
            {
                // One failing handler must not cost the others their messages, nor stop the loop.
                Log.HandlerFailed(_logger, ex, typeof(T).Name);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "A {Item} handler threw; delivery goes on")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string item);
    }
}
