using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Infrastructure;

/// <summary>Reads the gateway's admin stats (<c>GET /api/v1/gateway/stats</c>) with an admin dev token: the server's managed heap.</summary>
internal sealed class AdminStatsClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    private string? _token;

    /// <summary>The server's <see cref="GC.GetTotalMemory(bool)"/> (no forced collection), in bytes.</summary>
    public async Task<long> ReadManagedBytesAsync(CancellationToken cancellationToken)
    {
        _token ??= await GetAdminTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/gateway/stats");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var response = await _http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var stats = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return stats.RootElement.GetProperty("managedMemoryBytes").GetInt64();
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> GetAdminTokenAsync(CancellationToken cancellationToken)
    {
        var body = new DevTokenRequest { Username = "bench-soak-admin", Roles = { "admin" } };
        using var content = new StringContent(ProtobufJson.Formatter.Format(body), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("/api/v1/dev/token", UriKind.Relative), content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST /api/v1/dev/token (admin): {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return ProtobufJson.Parser.Parse<DevTokenResponse>(text).Token;
    }
}
