using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
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
        BaseAddress = ListeningAddress.Of(app);
        Http = new HttpClient { BaseAddress = BaseAddress };
        Rest = new GatewayRest(Http);
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

    public GatewayRest Rest { get; }

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

                // Many tests send as fast as they can on purpose (backpressure, ordering, the page's redraws);
                // the tests of the send limits set their own.
                ["Gateway:ConnectionSendRate"] = "0",
                ["Gateway:UserSendRate"] = "0",
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
    public Task<string> GetTokenAsync(string username, params string[] roles) => Rest.GetTokenAsync(username, roles);

    public Task<string> CreateSessionAsync(string token, string kind, params string[] members) => Rest.CreateSessionAsync(token, kind, members);

    public Task<T> PostAsync<T>(string path, IMessage body, string? token)
        where T : IMessage<T>, new() => Rest.PostAsync<T>(path, body, token);

    public Task<T> GetAsync<T>(string path, string token)
        where T : IMessage<T>, new() => Rest.GetAsync<T>(path, token);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IMessage? body, string? token) => Rest.SendAsync(method, path, body, token);

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
}
