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

    /// <summary>
    /// Settings that let every event through, down to Verbose, ASP.NET Core's request lines included (which the
    /// hosts keep above Warning by default): what an operator turns on to debug.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> EverythingSettings { get; } = new Dictionary<string, string?>
    {
        ["Serilog:MinimumLevel:Default"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Verbose",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Verbose",
        ["Serilog:MinimumLevel:Override:System"] = "Verbose",
    };

    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <summary>Each event as text a sink could write: the rendered message, every property, the exception.</summary>
    public IReadOnlyList<string> Texts() => [.. _events.Select(e =>
        $"{e.Level} {e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} | {string.Join(" | ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} | {e.Exception}")];

    /// <summary>Adds the recorder as a Serilog sink of the host being built (the host reads sinks from its services).</summary>
    public void Install(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<ILogEventSink>(this);
    }

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);
}
