using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Testing;

/// <summary>The REST API of one gateway (standalone or a Dapr app), as a client calls it.</summary>
public sealed class GatewayRest(HttpClient http)
{
    /// <summary>A development token for <paramref name="username"/>, from the real token endpoint.</summary>
    public async Task<string> GetTokenAsync(string username, params string[] roles)
    {
        var request = new DevTokenRequest { Username = username };
        request.Roles.AddRange(roles);
        var response = await PostAsync<DevTokenResponse>("/api/v1/dev/token", request, token: null);
        return response.Token;
    }

    public async Task<string> CreateSessionAsync(string token, string kind, params string[] members)
    {
        var request = new CreateSessionRequest { Kind = kind, Name = kind + " session" };
        request.Members.AddRange(members);
        return (await PostAsync<CreateSessionResponse>("/api/v1/sessions", request, token)).SessionId;
    }

    /// <summary>A session's whole history, page by page (500 a page).</summary>
    public async Task<List<Push>> ReadHistoryAsync(string token, string sessionId)
    {
        var history = new List<Push>();
        while (true)
        {
            var afterSeq = history.Count == 0 ? 0 : history[^1].Seq;
            var page = await GetAsync<SyncResult>($"/api/v1/sessions/{sessionId}/messages?afterSeq={afterSeq}&limit=500", token);
            history.AddRange(page.Messages);
            if (!page.HasMore)
            {
                return history;
            }
        }
    }

    public async Task<T> PostAsync<T>(string path, IMessage body, string? token)
        where T : IMessage<T>, new()
    {
        using var response = await SendAsync(HttpMethod.Post, path, body, token);
        return await ReadAsync<T>(response);
    }

    public async Task<T> GetAsync<T>(string path, string token)
        where T : IMessage<T>, new()
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, token);
        return await ReadAsync<T>(response);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IMessage? body, string? token)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(ProtobufJson.Formatter.Format(body), Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response)
        where T : IMessage<T>, new()
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} {response.StatusCode}: {text}", null, response.StatusCode);
        }

        return ProtobufJson.Parser.Parse<T>(text);
    }
}
