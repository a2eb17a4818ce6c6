using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Resonance.Contracts;

namespace Resonance.Testing;

/// <summary>
/// An HTTP/1.1 exchange written byte by byte over a plain TCP connection, for requests that
/// <see cref="HttpClient"/> refuses to send (malformed chunked bodies, bodies that stall).
/// </summary>
public sealed class RawHttpResponse
{
    private RawHttpResponse(int status, IReadOnlyDictionary<string, string> headers, string body)
    {
        Status = status;
        Headers = headers;
        Body = body;
    }

    public int Status { get; }

    /// <summary>Header names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Body { get; }

    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value : null;

    /// <summary>
    /// Connects, writes <paramref name="request"/> as it is, sends nothing more and reads the response: until
    /// its body is complete or the server closes the connection.
    /// </summary>
    public static async Task<RawHttpResponse> ExchangeAsync(Uri server, string request, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var cancel = new CancellationTokenSource(timeout ?? TestSocket.DefaultTimeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancel.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel.Token);

        // Latin-1 keeps one char per byte, so chunk sizes and lengths (in bytes) index the text.
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cancel.Token);
            received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            if (read == 0 || TryParse(received.ToString()) is not null)
            {
                return TryParse(received.ToString()) ?? throw new InvalidDataException($"Not a complete HTTP response: '{received}'");
            }
        }
    }

    /// <summary>
    /// A WebSocket upgrade of <c>/ws</c> whose answer is read as HTTP: 101 when taken, or the status and problem details
    /// it was refused with (which a WebSocket client does not show).
    /// </summary>
    public static Task<RawHttpResponse> UpgradeAsync(Uri server, string token, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var originLine = origin is null ? string.Empty : $"Origin: {origin}\r\n";
        return ExchangeAsync(server,
            $"GET /ws HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: {Subprotocols.Protobuf}\r\nAuthorization: Bearer {token}\r\n{originLine}\r\n");
    }

    private static RawHttpResponse? TryParse(string raw)
    {
        var headEnd = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0)
        {
            return null;
        }

        var lines = raw[..headEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var body = raw[(headEnd + 4)..];
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }
        else if (headers.TryGetValue("content-length", out var length))
        {
            var size = int.Parse(length, CultureInfo.InvariantCulture);
            body = body.Length >= size ? body[..size] : null;
        }

        return body is null ? null : new RawHttpResponse(status, headers, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    /// <summary>The body of a chunked response; null while its last chunk has not arrived.</summary>
    private static string? Dechunk(string chunked)
    {
        var body = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return null;
            }

            var size = int.Parse(chunked[position..lineEnd].Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return body.ToString();
            }

            if (lineEnd + 2 + size + 2 > chunked.Length)
            {
                return null;
            }

            body.Append(chunked, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
