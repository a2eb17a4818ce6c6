using System.Text.Json;
using Resonance.Contracts;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>Which pages may open sockets: <c>Gateway:AllowedOrigins</c>.</summary>
public sealed class WebSocketOriginTests
{
    private const string Allowed = "https://chat.example.com";

    [Fact]
    public async Task With_an_origin_allow_list_a_listed_origin_and_no_origin_connect_and_other_origins_get_403()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = Allowed });
        var alice = Names.User("alice");
        var token = await server.GetTokenAsync(alice);

        await using var listed = await TestSocket.ConnectAsync(server, token, origin: "https://CHAT.example.com:443");
        await using var noOrigin = await TestSocket.ConnectAsync(server, token);
        var other = await RawHttpResponse.UpgradeAsync(server.BaseAddress, token, "https://evil.example.net");
        var sameHostOtherScheme = await RawHttpResponse.UpgradeAsync(server.BaseAddress, token, "http://chat.example.com");
        var opaque = await RawHttpResponse.UpgradeAsync(server.BaseAddress, token, "null");

        Assert.Equal(alice, listed.Welcome.Username);
        Assert.Equal(alice, noOrigin.Welcome.Username);
        foreach (var refused in new[] { other, sameHostOtherScheme, opaque })
        {
            Assert.Equal(403, refused.Status);
            Assert.StartsWith("application/problem+json", refused.ContentType, StringComparison.Ordinal);
            Assert.Equal(ErrorCodes.Forbidden, JsonDocument.Parse(refused.Body).RootElement.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Without_an_allow_list_any_origin_connects()
    {
        await using var server = await StandaloneServer.StartAsync();
        var alice = Names.User("alice");

        await using var socket = await TestSocket.ConnectAsync(server, await server.GetTokenAsync(alice), origin: "https://anywhere.example.org");

        Assert.Equal(alice, socket.Welcome.Username);
    }

    [Fact]
    public async Task A_bad_origin_in_the_allow_list_stops_the_host_at_start()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            StandaloneServer.StartAsync(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = "https://chat.example.com/app" }));

        Assert.Contains("Gateway:AllowedOrigins", failure.Message, StringComparison.Ordinal);
    }
}
