using System.Diagnostics.Metrics;

namespace Resonance.Logic;

/// <summary>The <c>Resonance.Logic</c> meter: stored messages and how long a send takes to become durable.</summary>
public sealed class LogicMetrics
{
    public const string MeterName = "Resonance.Logic";

    private readonly Counter<long>? _stored;
    private readonly Histogram<double>? _sendDuration;

    /// <param name="meterFactory">Creates the instruments; none when null (tests).</param>
    public LogicMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            return;
        }

        var meter = meterFactory.Create(MeterName);
        _stored = meter.CreateCounter<long>("resonance.logic.messages.stored", "{message}");
        _sendDuration = meter.CreateHistogram<double>("resonance.logic.send.duration", "ms", "From a send reaching logic to its ack (turn wait, dedup check, durable write, publish)");
    }

    internal void Sent(TimeSpan duration, bool stored)
    {
        _sendDuration?.Record(duration.TotalMilliseconds);
        if (stored)
        {
            _stored?.Add(1);
        }
    }
}
