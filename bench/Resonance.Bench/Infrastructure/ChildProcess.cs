using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// The bench's side of a child it started (<see cref="SelfInvocation"/>): reads its <see cref="ParentLink"/>
/// events, writes it commands; its other output lines go to standard error. Disposing closes its standard
/// input, which tells it to stop, and kills it if it has not exited 30 s later.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reading;
    private readonly string _name;

    private ChildProcess(Process process, string name)
    {
        _process = process;
        _name = name;
        _reading = ReadLoopAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, IEnumerable<string> arguments) =>
        new(Process.Start(SelfInvocation.StartInfo(arguments)) ?? throw new InvalidOperationException($"Could not start {name}."), name);

    /// <summary>Skips events until one whose <c>event</c> is <paramref name="name"/>; fails if the child exits first.</summary>
    public async Task<JsonElement> WaitForAsync(string name, CancellationToken cancellationToken)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_events.Reader.TryRead(out var message))
            {
                if (message.TryGetProperty("event", out var kind) && kind.GetString() == name)
                {
                    return message;
                }
            }
        }

        throw new InvalidOperationException($"{_name} exited (code {(_process.HasExited ? _process.ExitCode : -1)}) before '{name}'.");
    }

    /// <summary>The next event of any kind, or null once the child's output has ended.</summary>
    public async Task<JsonElement?> ReadAsync(CancellationToken cancellationToken) =>
        await _events.Reader.WaitToReadAsync(cancellationToken) && _events.Reader.TryRead(out var message) ? message : null;

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        using var deadline = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            BenchLog.Info($"{_name} did not exit in {ExitTimeout.TotalSeconds:0} s; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await _reading;
        _process.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(ParentLink.Prefix, StringComparison.Ordinal))
                {
                    using var document = JsonDocument.Parse(line.AsMemory(ParentLink.Prefix.Length));
                    _events.Writer.TryWrite(document.RootElement.Clone());
                }
                else
                {
                    Console.Error.WriteLine($"[{_name}] {line}");
                }
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
