using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>
/// The REST limiter keys anonymous requests on the client's address: behind a trusted proxy the one in
/// <c>X-Forwarded-For</c>, otherwise the connection's, whatever the header says.
/// </summary>
public sealed class ForwardedHeadersTests
{
    /// <summary>One anonymous request per address an hour, so the second from the same key is refused.</summary>
    private static readonly Dictionary<string, string?> OnePerAddress = new()
    {
        ["Gateway:RestRequestRate"] = "1",
        ["Gateway:RestRequestBurst"] = "1",
        ["Gateway:RestRatePeriod"] = "01:00:00",
    };

    [Fact]
    public async Task Behind_a_trusted_proxy_anonymous_requests_are_limited_per_forwarded_client()
    {
        await using var server = await StandaloneServer.StartAsync(new Dictionary<string, string?>(OnePerAddress)
        {
            ["Gateway:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });

        var statuses = new[]
        {
            await DevTokenAsync(server, "203.0.113.1"),
            await DevTokenAsync(server, "203.0.113.1"),
            await DevTokenAsync(server, "203.0.113.2"),
            await DevTokenAsync(server, forwardedFor: null),
            await DevTokenAsync(server, forwardedFor: null),
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData(null)] // the default: no proxy trusted
    [InlineData("10.9.9.9")] // a proxy is trusted, but these requests do not come from it
    public async Task From_an_untrusted_address_X_Forwarded_For_is_ignored_and_requests_are_limited_per_connection_address(string? knownProxy)
    {
        var settings = new Dictionary<string, string?>(OnePerAddress);
        if (knownProxy is not null)
        {
            settings["Gateway:ForwardedHeaders:KnownProxies:0"] = knownProxy;
        }

        await using var server = await StandaloneServer.StartAsync(settings);

        var statuses = new[]
        {
            await DevTokenAsync(server, "203.0.113.1"),
            await DevTokenAsync(server, "203.0.113.2"),
            await DevTokenAsync(server, forwardedFor: null),
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Theory]
    [InlineData("Gateway:ForwardedHeaders:KnownProxies:0", "not-an-address")]
    [InlineData("Gateway:ForwardedHeaders:KnownNetworks:0", "10.0.0.0")]
    [InlineData("Gateway:ForwardedHeaders:ForwardLimit", "0")]
    public async Task A_proxy_setting_that_does_not_parse_stops_the_host_at_start(string key, string value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StandaloneServer.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(value == "0" ? "ForwardLimit" : value, failure.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> DevTokenAsync(StandaloneServer server, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/dev/token")
        {
            Content = new StringContent($$"""{"username":"{{Names.User("anon")}}"}""", Encoding.UTF8, "application/json"),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
