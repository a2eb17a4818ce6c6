using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Resonance.Deploy.Tests;

/// <summary>
/// One app of dapr.yaml started as <c>dapr run</c> starts it (dapr/cli pkg/standalone/run.go GetAppCommand): its
/// command in its appDirPath, with the shell's environment, the variables the CLI sets (APP_ID, APP_PORT,
/// DAPR_HTTP_PORT, DAPR_GRPC_PORT, APP_PROTOCOL) and the template's env.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(RunApp app, Process process)
    {
        App = app;
        _process = process;
    }

    public RunApp App { get; }

    public Uri Address => new($"http://127.0.0.1:{App.AppPort}/");

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

    public static AppProcess Start(RunApp app, Uri sidecarHttp, Uri sidecarGrpc)
    {
        var start = new ProcessStartInfo(app.Command[0], app.Command.Skip(1))
        {
            WorkingDirectory = app.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["APP_ID"] = app.AppId;
        start.Environment["APP_PORT"] = app.AppPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DAPR_HTTP_PORT"] = sidecarHttp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DAPR_GRPC_PORT"] = sidecarGrpc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["APP_PROTOCOL"] = app.Setting("appProtocol") ?? "http";
        foreach (var (key, value) in app.Env)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var started = new AppProcess(app, process);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until the app's port takes connections, as daprd does before it reads /dapr/config.</summary>
    public async Task WaitForPortAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{App.AppId} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", App.AppPort, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{App.AppId} did not open port {App.AppPort} in {timeout}:\n{Output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // dotnet run starts the app as a child process
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
