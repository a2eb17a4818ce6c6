using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Resonance.Hosting.Logging;

/// <summary>
/// One logger per category over Serilog's logger factory, which makes a new logger, with caches of its own, on every
/// call. Framework code asks per request (each authentication handler does): without this, every request built a
/// logger and a WebSocket held its one for the connection's whole life.
/// </summary>
internal sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
