namespace Resonance.Client.Tests;

/// <summary>Clients of a <see cref="FakeGateway"/>.</summary>
internal static class FakeClients
{
    /// <summary>Fast reconnects and no pings unless the welcome asks for them.</summary>
    public static ResonanceClientOptions Options() => TestClients.Fast();

    /// <summary>Connects <paramref name="client"/> to the gateway and welcomes it; returns the gateway's side of the connection.</summary>
    public static async Task<FakeConnection> ConnectAsync(ResonanceClient client, FakeGateway gateway, int heartbeatIntervalSeconds = 0, bool answerPings = false)
    {
        var connecting = client.ConnectAsync();
        var connection = await gateway.NextConnectionAsync();
        connection.AnswerPings = answerPings;
        await connection.WelcomeAsync(heartbeatIntervalSeconds);
        await connecting.WaitAsync(Timeouts.Default);
        return connection;
    }
}
