using Resonance.Testing;

namespace Resonance.Client.Tests;

internal static class TestClients
{
    /// <summary>Options that reconnect within milliseconds, so reconnect tests stay fast.</summary>
    public static ResonanceClientOptions Fast(WireEncoding encoding = WireEncoding.Protobuf) => new()
    {
        Encoding = encoding,
        InitialReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<ResonanceClient> ConnectAsync(StandaloneServer server, string token, ResonanceClientOptions? options = null)
    {
        var client = new ResonanceClient(server.WebSocketAddress, token, options ?? Fast());
        try
        {
            await client.ConnectAsync().WaitAsync(Timeouts.Default);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static List<long> Seqs(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(i => (long)i)];
}
