using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Resonance.Contracts.V1;
using Resonance.Testing;

namespace Resonance.Recovery.Tests;

/// <summary>
/// The standalone host's Release build as a process of its own (<c>dotnet Resonance.Standalone.dll</c>, so that
/// the process is the app itself and a signal reaches it, which <c>dotnet run</c>'s child would not), on a free
/// loopback port, with a data directory the test keeps across restarts.
/// </summary>
internal sealed partial class StandaloneProcess : IAsyncDisposable
{
    /// <summary>Signs the dev tokens, the same in every start, so that a token outlives a restart.</summary>
    private const string SigningKey = "resonance-recovery-tests-signing-key-0123456789";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private StandaloneProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri WebSocketAddress => new(BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "ws");

    public HttpClient Http { get; private set; } = null!;

    public GatewayRest Rest { get; private set; } = null!;

    /// <summary>What the app wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the app and waits until it answers its health check.</summary>
    public static async Task<StandaloneProcess> StartAsync(string dataDirectory)
    {
        var root = RepositoryRoot();
        var project = Path.Combine(root, "services", "standalone");
        // The build of the same configuration as these tests (Release in CI), which their project reference makes.
        var configuration = typeof(StandaloneProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var app = Path.Combine(project, "bin", configuration, "net10.0", "Resonance.Standalone.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"Build the standalone host first (dotnet build -c {configuration}): {app} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                app,
                "--urls", "http://127.0.0.1:0",
                $"--Storage:DataDirectory={dataDirectory}",
                $"--Auth:SigningKey={SigningKey}",

                // One test client does what many users would: the gateway's abuse limits are off.
                "--Gateway:ConnectionSendRate=0",
                "--Gateway:UserSendRate=0",
                "--Gateway:SessionCreateLimit=0",
                "--Gateway:RestRequestRate=0",
            },
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = new StandaloneProcess(process);
        process.Exited += (_, _) => started._listening.TrySetException(new InvalidOperationException($"The host exited with {process.ExitCode}:\n{started.Output}"));
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.WaitUntilHealthyAsync();
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>A fresh data directory for a test's hosts (each restart reuses it).</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "resonance-recovery-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A dev token per user, by username.</summary>
    public async Task<Dictionary<string, string>> GetTokensAsync(IEnumerable<string> usernames)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var user in usernames)
        {
            tokens[user] = await Rest.GetTokenAsync(user);
        }

        return tokens;
    }

    /// <summary>A session's whole history, page by page, through the REST API.</summary>
    public Task<List<Push>> ReadHistoryAsync(string token, string sessionId) => Rest.ReadHistoryAsync(token, sessionId);

    /// <summary>SIGKILL: the process ends at once, mid-write, with no shutdown code run.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager or Kubernetes stops the app: it should drain and exit by itself.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {Id} exited with {kill.ExitCode}");
    }

    /// <summary>The exit code once the process has exited by itself, within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The host did not exit within {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Resonance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Resonance.sln above {AppContext.BaseDirectory}.");
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        try
        {
            BaseAddress = await _listening.Task.WaitAsync(deadline.Token);
            Http = new HttpClient { BaseAddress = BaseAddress };
            Rest = new GatewayRest(Http);
            while (true)
            {
                try
                {
                    using var health = await Http.GetAsync(new Uri("/api/v1/health", UriKind.Relative), deadline.Token);
                    if (health.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Listening but not answering yet.
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host did not become healthy within {StartTimeout}:\n{Output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value + "/"));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
