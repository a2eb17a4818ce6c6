using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace Resonance.DaprEngine.Tests;

/// <summary>Warnings and errors every host of a cluster logged, kept so that a failing test can show them.</summary>
internal sealed class ClusterLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>A Serilog sink for one host (the hosts read sinks from their services).</summary>
    public ILogEventSink SinkFor(string appId) => new Sink(this, appId);

    public override string ToString() => string.Join(Environment.NewLine, _lines);

    private sealed class Sink(ClusterLog log, string appId) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Warning)
            {
                log._lines.Enqueue($"[{appId}] {logEvent.Level}: {logEvent.RenderMessage(CultureInfo.InvariantCulture)} {logEvent.Exception}");
            }
        }
    }
}
