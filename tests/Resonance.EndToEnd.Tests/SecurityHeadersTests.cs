using Resonance.Gateway.Api;
using Resonance.Testing;

namespace Resonance.EndToEnd.Tests;

/// <summary>The headers the chat page and its files are served with.</summary>
public sealed class SecurityHeadersTests
{
    [Fact]
    public async Task The_page_and_its_files_carry_the_security_headers()
    {
        await using var server = await StandaloneServer.StartAsync();

        foreach (var path in new[] { "/", "/index.html", "/app.js", "/app.css" })
        {
            using var response = await server.Http.GetAsync(path);

            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            Assert.Equal([SecurityHeaders.ContentSecurityPolicy], response.Headers.GetValues("Content-Security-Policy"));
            Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
            Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
            Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        }

        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
    }
}
