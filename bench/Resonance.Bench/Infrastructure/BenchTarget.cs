using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Resonance.Standalone;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// The server under test: the standalone host started in this process on a free loopback port
/// with a temporary data directory, or a server already running at a given address.
/// </summary>
internal sealed class BenchTarget : IAsyncDisposable
{
    /// <summary>Fixed so tokens are stable within a run; the in-process server is loopback-only and throw-away.</summary>
    private const string SigningKey = "resonance-bench-signing-key-0123456789abcdef";

    private readonly WebApplication? _app;
    private readonly string? _dataDirectory;

    private BenchTarget(Uri baseAddress, WebApplication? app, string? dataDirectory, string description)
    {
        BaseAddress = baseAddress;
        _app = app;
        _dataDirectory = dataDirectory;
        Description = description;
        Rest = new RestClient(baseAddress);
    }

    public Uri BaseAddress { get; }

    public bool InProcess => _app is not null;

    public string Description { get; }

    public RestClient Rest { get; }

    /// <param name="abuseLimits">Keep the gateway's send, connection and REST limits (the flood scenario measures them); off otherwise.</param>
    public static async Task<BenchTarget> StartInProcessAsync(string synchronous, CancellationToken cancellationToken, bool abuseLimits = false)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "resonance-bench", Guid.NewGuid().ToString("N"));
        var limitsOff = new Dictionary<string, string?>
        {
            // A bench is one client doing what thousands would: the limits would measure themselves.
            ["Gateway:ConnectionSendRate"] = "0",
            ["Gateway:UserSendRate"] = "0",
            ["Gateway:MaxConnectionsPerUser"] = "0",
            ["Gateway:SessionCreateLimit"] = "0",
            ["Gateway:RestRequestRate"] = "0",
        };
        var app = StandaloneHost.Create(["--urls", "http://127.0.0.1:0"], builder =>
        {
            if (!abuseLimits)
            {
                builder.Configuration.AddInMemoryCollection(limitsOff);
            }

            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = dataDirectory,
                ["Storage:Synchronous"] = synchronous,
                ["Auth:EnableDevTokens"] = "true",
                ["Auth:SigningKey"] = SigningKey,
                ["Serilog:MinimumLevel:Default"] = "Warning",

                ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
                ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            });
        });
        await app.StartAsync(cancellationToken);
        var baseAddress = ListeningAddress.Of(app);
        return new BenchTarget(baseAddress, app, dataDirectory,
            $"in-process standalone host at {baseAddress} (Storage:Synchronous={synchronous}, data {dataDirectory})");
    }

    public static BenchTarget Remote(Uri baseAddress) =>
        new(baseAddress, null, null, $"running server at {baseAddress} (separate process; its own storage settings)");

    /// <summary>The gateway socket address: <c>ws://host:port/ws</c> (or <c>wss</c> for an https base).</summary>
    public Uri SocketAddress => ListeningAddress.Socket(BaseAddress, "/ws");

    public async ValueTask DisposeAsync()
    {
        Rest.Dispose();
        if (_app is null)
        {
            return;
        }

        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory!, recursive: true);
        }
        catch (IOException)
        {
            // A file still open after a slow shutdown; it is in the temp folder.
        }
    }
}
