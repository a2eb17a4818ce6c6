using System.Net.WebSockets;
using Resonance.Contracts;
using Resonance.Testing;
using Xunit.Abstractions;

namespace Resonance.Recovery.Tests;

/// <summary>
/// SIGTERM while clients send: every client is told to reconnect (close code 1001) after the acks of the sends
/// the host took, the host exits 0 by itself, and after a restart every acked message is there.
/// </summary>
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private const int Senders = 4;
    private const int AcksBeforeTerm = 200;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task SIGTERM_closes_every_connection_with_1001_exits_0_and_keeps_every_acked_message()
    {
        var dataDirectory = StandaloneProcess.NewDataDirectory();
        var users = Enumerable.Range(0, Senders).Select(i => Names.User($"sender{i}")).ToArray();
        var listener = Names.User("listener");
        var ledger = new SentLedger();
        var host = await StandaloneProcess.StartAsync(dataDirectory);
        try
        {
            var tokens = await host.GetTokensAsync(users.Append(listener));

            var session = await host.Rest.CreateSessionAsync(tokens[users[0]], SessionKinds.Group, [.. users[1..], listener]);
            var sockets = await Task.WhenAll(users.Select(user => TestSocket.ConnectAsync(host.WebSocketAddress, tokens[user])));
            await using var protobufListener = await TestSocket.ConnectAsync(host.WebSocketAddress, tokens[listener], Subprotocols.Protobuf);
            await using var jsonListener = await TestSocket.ConnectAsync(host.WebSocketAddress, tokens[listener], Subprotocols.Json);
            var listenerCloses = new[] { protobufListener.WaitForCloseAsync(Timeout), jsonListener.WaitForCloseAsync(Timeout) };
            var senders = users.Zip(sockets, (user, socket) => new PipelinedSender(socket, user, session, ledger)).ToList();
            var runs = senders.Select(sender => sender.RunAsync(CancellationToken.None)).ToList();

            await Eventually.TrueAsync(() => ledger.AckCount >= AcksBeforeTerm, $"{AcksBeforeTerm} sends are acked", Timeout);
            await host.TerminateAsync();
            var exitCode = await host.WaitForExitAsync(Timeout);
            await Task.WhenAll(runs).WaitAsync(Timeout);
            var closes = await Task.WhenAll(listenerCloses);
            var (attempted, acked) = (ledger.Attempted, ledger.AckCount);

            Assert.True(exitCode == 0, $"exit code {exitCode}:\n{host.Output}");
            Assert.All(senders, sender => Assert.True(sender.CloseStatus == WebSocketCloseStatus.EndpointUnavailable,
                $"{sender.User}: close status {sender.CloseStatus}, failure {sender.Failure}"));
            Assert.All(closes, close => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, close.Status));
            Assert.All(ledger.Refusals, error => Assert.Equal(ErrorCodes.Unavailable, error.Code));
            foreach (var (sender, socket) in senders.Zip(sockets))
            {
                sender.Dispose();
                await socket.DisposeAsync();
            }

            await host.DisposeAsync();
            host = await StandaloneProcess.StartAsync(dataDirectory);
            var history = await host.ReadHistoryAsync(tokens[users[0]], session);
            var figures = ledger.Check(history);

            // Each send the host took before it closed got its ack first: a drain close waits for the command in flight.
            Assert.Equal(0, figures.UnackedStored);
            output.WriteLine($"terminated with {attempted} sent, {acked} acked, {ledger.Refusals.Count} refused; after the restart {history.Count} stored, {figures.UnackedStored} unacked ones among them, {figures.UnackedLost} unacked ones not stored");
            await ledger.ResendAllAsync(host.WebSocketAddress, tokens, session, history);
            Assert.Equal(ledger.Attempted, (await host.ReadHistoryAsync(tokens[users[0]], session)).Count);
        }
        finally
        {
            await host.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
