using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Resonance.Client.Tests;

/// <summary>
/// Keeps what the client logs, so a test can wait for an event or read its values; can also be told
/// to throw on chosen events, to stand for any code that fails where the client does not expect it.
/// </summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly HashSet<string> _throwOn;

    public RecordingLogger(params string[] throwOn) => _throwOn = [.. throwOn];

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Entries of one event (by its LoggerMessage method name), in order.</summary>
    public List<Entry> Of(string eventName) => [.. _entries.Where(e => e.EventName == eventName)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : [];
        _entries.Enqueue(new Entry(eventId.Name ?? string.Empty, logLevel, formatter(state, exception), exception, values));
        if (eventId.Name is { } name && _throwOn.Contains(name))
        {
            throw new InvalidOperationException($"The test's logger fails on {name}.");
        }
    }

    internal sealed record Entry(string EventName, LogLevel Level, string Message, Exception? Exception, Dictionary<string, object?> Values);
}
