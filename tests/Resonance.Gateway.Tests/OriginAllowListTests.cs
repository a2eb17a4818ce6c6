using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Resonance.Gateway.Limits;

namespace Resonance.Gateway.Tests;

public sealed class OriginAllowListTests
{
    [Theory]
    [InlineData("https://chat.example.com", true)]
    [InlineData("https://CHAT.Example.com", true)]
    [InlineData("https://chat.example.com:443", true)]
    [InlineData("https://chat.example.com/", true)]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://chat.example.com", false)]
    [InlineData("https://chat.example.com:8443", false)]
    [InlineData("https://evil.example.com", false)]
    [InlineData("https://chat.example.com.evil.example", false)]
    [InlineData("null", false)]
    [InlineData("chat.example.com", false)]
    public void A_listed_origin_is_allowed_whatever_its_case_or_default_port_and_nothing_else(string origin, bool allowed)
    {
        var list = new OriginAllowList(Options.Create(new GatewayOptions { AllowedOrigins = ["https://chat.example.com", "http://localhost:8080"] }));

        Assert.Equal(allowed, list.Allows(origin));
    }

    [Fact]
    public void No_origin_header_is_allowed_and_an_empty_list_allows_all()
    {
        var list = new OriginAllowList(Options.Create(new GatewayOptions { AllowedOrigins = ["https://chat.example.com"] }));
        var open = new OriginAllowList(Options.Create(new GatewayOptions()));

        Assert.True(list.Allows(StringValues.Empty));
        Assert.False(list.Allows(new StringValues(["https://chat.example.com", "https://evil.example.com"])));
        Assert.True(open.Allows("https://anything.example.org"));
        Assert.True(open.Allows("null"));
    }

    [Theory]
    [InlineData("https://chat.example.com/app")]
    [InlineData("https://chat.example.com?x=1")]
    [InlineData("https://user@chat.example.com")]
    [InlineData("ftp://chat.example.com")]
    [InlineData("*")]
    [InlineData("")]
    public void What_is_not_an_origin_fails_validation(string origin)
    {
        Assert.False(OriginAllowList.IsValid(origin));
    }
}
