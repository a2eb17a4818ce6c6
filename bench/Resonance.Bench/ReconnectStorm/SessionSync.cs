using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.ReconnectStorm;

/// <summary>How a client of the storm catches up on its session after (re)connecting.</summary>
internal static class SessionSync
{
    /// <summary>Syncs from the highest seq the client has everything up to, page after page, recording every message.</summary>
    public static async Task CatchUpAsync(RawConnection connection, string sessionId, SeqLedger ledger, CancellationToken cancellationToken)
    {
        var after = ledger.Contiguous;
        while (true)
        {
            var page = await connection.SyncAsync(sessionId, after, cancellationToken, ReconnectStormSettings.SyncPage);
            foreach (var message in page.Messages)
            {
                ledger.Record(message.Seq);
                after = Math.Max(after, message.Seq);
            }

            if (!page.HasMore || page.Messages.Count == 0)
            {
                return;
            }
        }
    }
}
