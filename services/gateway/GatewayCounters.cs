using System.Diagnostics.Metrics;

namespace Resonance.Gateway;

/// <summary>
/// What the gateway has done since start; read by the stats endpoint and published as the
/// <c>Resonance.Gateway</c> meter.
/// </summary>
public sealed class GatewayCounters
{
    public const string MeterName = "Resonance.Gateway";

    private long _connectionsAccepted;
    private long _connectionsClosed;
    private long _framesReceived;
    private long _framesSent;
    private long _pushBatches;
    private long _pushRecipients;
    private long _pushRecipientsMissing;
    private long _slowConsumerCloses;
    private long _idleCloses;
    private long _tokenExpiryCloses;
    private long _badPackets;
    private long _syncsRefused;
    private long _sendsRateLimited;
    private long _routeFlushFailures;

    /// <param name="meterFactory">Publishes the counters as instruments; none when null (tests).</param>
    public GatewayCounters(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            return;
        }

        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("resonance.gateway.connections", () => ConnectionsAccepted - Interlocked.Read(ref _connectionsClosed), "{connection}", "Open WebSocket connections");
        meter.CreateObservableCounter("resonance.gateway.connections.accepted", () => ConnectionsAccepted, "{connection}");
        meter.CreateObservableCounter("resonance.gateway.frames.received", () => FramesReceived, "{frame}");
        meter.CreateObservableCounter("resonance.gateway.frames.sent", () => FramesSent, "{frame}");
        meter.CreateObservableCounter("resonance.gateway.push.batches", () => PushBatches, "{batch}");
        meter.CreateObservableCounter("resonance.gateway.push.recipients", () => PushRecipients, "{recipient}");
        meter.CreateObservableCounter("resonance.gateway.push.recipients.missing", () => PushRecipientsMissing, "{recipient}");
        meter.CreateObservableCounter("resonance.gateway.closes.slow_consumer", () => SlowConsumerCloses, "{connection}");
        meter.CreateObservableCounter("resonance.gateway.closes.idle", () => IdleCloses, "{connection}");
        meter.CreateObservableCounter("resonance.gateway.closes.token_expired", () => TokenExpiryCloses, "{connection}");
        meter.CreateObservableCounter("resonance.gateway.bad_packets", () => BadPackets, "{packet}");
        meter.CreateObservableCounter("resonance.gateway.syncs.refused", () => SyncsRefused, "{sync}", "Syncs refused because the connection's queue held too many bytes");
        meter.CreateObservableCounter("resonance.gateway.sends.rate_limited", () => SendsRateLimited, "{send}", "Sends refused with rate_limited");
        meter.CreateObservableCounter("resonance.gateway.route_flush.failures", () => RouteFlushFailures, "{flush}");
    }

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    public long FramesSent => Interlocked.Read(ref _framesSent);

    public long PushBatches => Interlocked.Read(ref _pushBatches);

    public long PushRecipients => Interlocked.Read(ref _pushRecipients);

    /// <summary>Recipients of a batch with no connection here (reported back to task as failed).</summary>
    public long PushRecipientsMissing => Interlocked.Read(ref _pushRecipientsMissing);

    public long SlowConsumerCloses => Interlocked.Read(ref _slowConsumerCloses);

    public long IdleCloses => Interlocked.Read(ref _idleCloses);

    public long TokenExpiryCloses => Interlocked.Read(ref _tokenExpiryCloses);

    public long BadPackets => Interlocked.Read(ref _badPackets);

    /// <summary>Syncs answered with <c>unavailable</c> because too much was waiting to be written to the connection.</summary>
    public long SyncsRefused => Interlocked.Read(ref _syncsRefused);

    /// <summary>Sends answered with <c>rate_limited</c>: over the connection's or the user's rate.</summary>
    public long SendsRateLimited => Interlocked.Read(ref _sendsRateLimited);

    public long RouteFlushFailures => Interlocked.Read(ref _routeFlushFailures);

    internal void ConnectionAccepted() => Interlocked.Increment(ref _connectionsAccepted);

    internal void ConnectionClosed() => Interlocked.Increment(ref _connectionsClosed);

    internal void FrameReceived() => Interlocked.Increment(ref _framesReceived);

    internal void FrameSent() => Interlocked.Increment(ref _framesSent);

    internal void PushBatch(int recipients, int missing)
    {
        Interlocked.Increment(ref _pushBatches);
        Interlocked.Add(ref _pushRecipients, recipients);
        Interlocked.Add(ref _pushRecipientsMissing, missing);
    }

    internal void SlowConsumerClosed() => Interlocked.Increment(ref _slowConsumerCloses);

    internal void IdleClosed() => Interlocked.Increment(ref _idleCloses);

    internal void TokenExpiryClosed() => Interlocked.Increment(ref _tokenExpiryCloses);

    internal void BadPacket() => Interlocked.Increment(ref _badPackets);

    internal void SyncRefused() => Interlocked.Increment(ref _syncsRefused);

    internal void SendRateLimited() => Interlocked.Increment(ref _sendsRateLimited);

    internal void RouteFlushFailed() => Interlocked.Increment(ref _routeFlushFailures);
}
