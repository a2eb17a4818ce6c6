using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// The standalone host as a process of its own (<c>dotnet Resonance.Standalone.dll</c> from this bench's output,
/// which the project reference puts there), on a free loopback port with a throw-away data directory, so that its
/// memory can be read from <c>/proc</c> without the bench's own allocations in it.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>Fixed so tokens are stable within a run; the server is loopback-only and throw-away.</summary>
    private const string SigningKey = "resonance-bench-signing-key-0123456789abcdef";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string dataDirectory)
    {
        _process = process;
        _dataDirectory = dataDirectory;
    }

    public int Id => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public string DataDirectory => _dataDirectory;

    public static async Task<ServerProcess> StartAsync(string synchronous, CancellationToken cancellationToken)
    {
        var app = Path.Combine(AppContext.BaseDirectory, "Resonance.Standalone.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"{app} is missing: build the bench (it references the standalone host).");
        }

        var dataDirectory = Path.Combine(Path.GetTempPath(), "resonance-bench", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                app,
                "--urls", "http://127.0.0.1:0",
                $"--Storage:DataDirectory={dataDirectory}",
                $"--Storage:Synchronous={synchronous}",
                $"--Auth:SigningKey={SigningKey}",
                "--Auth:EnableDevTokens=true",

                // The managed heap is read from the admin stats endpoint, with an admin dev token.
                "--Auth:AllowDevAdminTokens=true",

                // A bench is one client doing what thousands would: the limits would measure themselves.
                "--Gateway:ConnectionSendRate=0",
                "--Gateway:UserSendRate=0",
                "--Gateway:MaxConnectionsPerUser=0",
                "--Gateway:SessionCreateLimit=0",
                "--Gateway:RestRequestRate=0",
                "--Serilog:MinimumLevel:Default=Warning",
            },
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process, dataDirectory);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.Output}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            server.BaseAddress = await server._listening.Task.WaitAsync(deadline.Token);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>What the server wrote so far (warnings and errors only), for failure notes.</summary>
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

    public bool HasExited => _process.HasExited;

    /// <summary>The resident set size from <c>/proc/&lt;pid&gt;/status</c> (VmRSS), in bytes; null where there is no /proc.</summary>
    public long? ReadResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmRSS:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Exited, or not Linux.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // In the temp folder either way.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (ListeningLine().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value + "/"));
            return;
        }

        lock (_output)
        {
            // Bounded: a long run must not grow the bench's memory with the server's warnings.
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
