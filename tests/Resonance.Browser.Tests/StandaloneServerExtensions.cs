using System.Net.WebSockets;
using Resonance.Gateway.Connections;
using Resonance.Testing;

namespace Resonance.Browser.Tests;

public static class StandaloneServerExtensions
{
    /// <summary>Closes every connection of the user from the server side, as a slow consumer would be.</summary>
    public static int DropConnections(this StandaloneServer server, string username)
    {
        var connections = server.GetRequiredService<ConnectionRegistry>().GetConnections(username);
        foreach (var connection in connections)
        {
            connection.Close((WebSocketCloseStatus)4100, "test drop", drain: false);
        }

        return connections.Length;
    }
}
