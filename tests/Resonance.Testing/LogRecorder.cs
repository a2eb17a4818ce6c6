using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Resonance.Testing;

/// <summary>Keeps every log event the host writes (at the level configuration lets through), for tests that check what is logged.</summary>
public sealed class LogRecorder : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Adds the recorder as a Serilog sink of the host being built (the host reads sinks from its services).</summary>
    public void Install(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ILogEventSink>(this);
    }

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
