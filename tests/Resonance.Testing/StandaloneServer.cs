using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Standalone;

namespace Resonance.Testing;

/// <summary>
/// The real standalone host (gateway + logic + task, Local engine) on a free loopback port with its
/// own data directory, for tests that talk to it over real sockets.
/// </summary>
public sealed class StandaloneServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDirectory;

    private StandaloneServer(WebApplication app, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = BaseAddress };
    }

    /// <summary>Settings that let dev tokens carry the admin role, for tests of the admin API.</summary>
    public static IReadOnlyDictionary<string, string?> DevAdminTokens { get; } = new Dictionary<string, string?>
    {
        ["Auth:AllowDevAdminTokens"] = "true",
    };

    public Uri BaseAddress { get; }

    public Uri WebSocketAddress => new(BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "ws");

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server. <paramref name="settings"/> override configuration (e.g. <c>Gateway:IdleTimeout</c>).</summary>
    /// <param name="dataDirectory">Reuse a data directory (to test restarts); a fresh temporary one when null.</param>
    public static async Task<StandaloneServer> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        string? dataDirectory = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "resonance-tests", Guid.NewGuid().ToString("N"));
        var app = StandaloneHost.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = dataDirectory,
                ["Storage:Synchronous"] = "Normal",
                ["Auth:EnableDevTokens"] = "true",
                ["Auth:SigningKey"] = "resonance-tests-signing-key-0123456789abcdef",
                ["Serilog:MinimumLevel:Default"] = "Warning",
            });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new StandaloneServer(app, dataDirectory, owns);
    }

    public T GetRequiredService<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

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

        return await Http.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
            }
        }
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
