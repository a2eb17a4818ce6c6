using System.Text.Json;

namespace Resonance.Bench.Infrastructure;

/// <summary>
/// A child process's side of its link to the bench that started it: events as <c>@bench {json}</c> lines on
/// standard output (a server's own log lines may share it), commands as plain lines on standard input.
/// </summary>
internal static class ParentLink
{
    public const string Prefix = "@bench ";

    private static readonly Lock Gate = new();

    /// <summary>Writes one event; <paramref name="payload"/> is serialized with camelCase names.</summary>
    public static void Send(object payload)
    {
        var line = Prefix + JsonSerializer.Serialize(payload, JsonSerializerOptions.Web);
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>The next command, or null once the parent has closed standard input (or gone away).</summary>
    public static Task<string?> ReadCommandAsync(CancellationToken cancellationToken) =>
        Console.In.ReadLineAsync(cancellationToken).AsTask();
}
