using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Resonance.Bench.Infrastructure;

/// <summary>Where a started in-process host listens, as a loopback address a client can connect to.</summary>
internal static class ListeningAddress
{
    public static Uri Of(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>The WebSocket address of <paramref name="path"/> on an http(s) base address.</summary>
    public static Uri Socket(Uri baseAddress, string path) => new UriBuilder(baseAddress)
    {
        Scheme = baseAddress.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
        Path = path,
    }.Uri;
}
