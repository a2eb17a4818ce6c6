using Resonance.Contracts;
using Resonance.Testing;
using Xunit.Abstractions;

namespace Resonance.Recovery.Tests;

/// <summary>
/// The host killed with SIGKILL while several clients send as fast as their acks come, then started again on
/// the same data directory: nothing acked is lost, seqs stay gapless, and every resend gets its original ack.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Rounds = 2;
    private const int Senders = 6;

    /// <summary>Acks to collect before each kill: a few seconds of sending.</summary>
    private const int AcksPerRound = 300;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Every_acked_message_survives_SIGKILL_mid_stream_with_gapless_seqs_and_resends_get_the_original_ack()
    {
        var dataDirectory = StandaloneProcess.NewDataDirectory();
        var users = Enumerable.Range(0, Senders).Select(i => Names.User($"sender{i}")).ToArray();
        var ledger = new SentLedger();
        var host = await StandaloneProcess.StartAsync(dataDirectory);
        try
        {
            var tokens = await host.GetTokensAsync(users);

            var session = await host.Rest.CreateSessionAsync(tokens[users[0]], SessionKinds.Group, users[1..]);
            for (var round = 1; round <= Rounds; round++)
            {
                var target = ledger.AckCount + AcksPerRound;
                var sockets = await Task.WhenAll(users.Select(user => TestSocket.ConnectAsync(host.WebSocketAddress, tokens[user])));
                var senders = users.Zip(sockets, (user, socket) => new PipelinedSender(socket, user, session, ledger)).ToList();
                var runs = senders.Select(sender => sender.RunAsync(CancellationToken.None)).ToList();

                await Eventually.TrueAsync(() => ledger.AckCount >= target, $"{target} sends are acked", Timeout);
                await host.KillAsync();
                await Task.WhenAll(runs).WaitAsync(Timeout);
                var (attempted, acked) = (ledger.Attempted, ledger.AckCount);
                foreach (var (sender, socket) in senders.Zip(sockets))
                {
                    sender.Dispose();
                    await socket.DisposeAsync();
                }

                await host.DisposeAsync();
                host = await StandaloneProcess.StartAsync(dataDirectory);
                var history = await host.ReadHistoryAsync(tokens[users[0]], session);
                var figures = ledger.Check(history);
                output.WriteLine($"round {round}: killed with {attempted} sent, {acked} acked; after the restart {history.Count} stored, {figures.UnackedStored} unacked ones among them, {figures.UnackedLost} unacked ones not stored");

                await ledger.ResendAllAsync(host.WebSocketAddress, tokens, session, history);
                var afterResends = await host.ReadHistoryAsync(tokens[users[0]], session);
                ledger.Check(afterResends);
                Assert.Equal(ledger.Attempted, afterResends.Count);
            }

            Assert.Empty(ledger.Refusals);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
