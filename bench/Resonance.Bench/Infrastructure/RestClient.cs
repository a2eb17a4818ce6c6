using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Bench.Infrastructure;

/// <summary>The REST calls a scenario needs to set up: dev tokens and sessions. Bodies are protobuf's JSON mapping.</summary>
internal sealed class RestClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task<string> GetTokenAsync(string username, CancellationToken cancellationToken)
    {
        var response = await PostAsync<DevTokenResponse>("/api/v1/dev/token", new DevTokenRequest { Username = username }, null, cancellationToken);
        return response.Token;
    }

    /// <summary>Tokens for many users, at most <paramref name="parallelism"/> requests at a time, in the order given.</summary>
    public async Task<string[]> GetTokensAsync(IReadOnlyList<string> usernames, int parallelism, CancellationToken cancellationToken)
    {
        var tokens = new string[usernames.Count];
        await Parallel.ForAsync(0, usernames.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) => tokens[i] = await GetTokenAsync(usernames[i], ct));
        return tokens;
    }

    /// <summary>Creates a session as the holder of <paramref name="token"/>, who becomes a member besides <paramref name="members"/>.</summary>
    public async Task<string> CreateSessionAsync(string token, string kind, IEnumerable<string> members, CancellationToken cancellationToken)
    {
        var request = new CreateSessionRequest { Kind = kind, Name = "bench " + kind };
        request.Members.AddRange(members);
        var response = await PostAsync<CreateSessionResponse>("/api/v1/sessions", request, token, cancellationToken);
        return response.SessionId;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> PostAsync<T>(string path, IMessage body, string? token, CancellationToken cancellationToken)
        where T : IMessage<T>, new()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(ProtobufJson.Formatter.Format(body), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {response.StatusCode}: {text}", null, response.StatusCode);
        }

        return ProtobufJson.Parser.Parse<T>(text);
    }
}
