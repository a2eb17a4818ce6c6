using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Testing;

/// <summary>A raw WebSocket client speaking the v1 protocol, for tests that check the wire itself.</summary>
public sealed class TestSocket : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly byte[] _buffer = new byte[1024 * 1024];
    private readonly List<WsPacket> _backlog = [];

    private TestSocket(ClientWebSocket socket, HttpMessageInvoker invoker, string subprotocol)
    {
        _socket = socket;
        _invoker = invoker;
        Subprotocol = subprotocol;
    }

    public string Subprotocol { get; }

    public bool IsJson => Subprotocol == Subprotocols.Json;

    public Welcome Welcome { get; private set; } = new();

    public WebSocketState State => _socket.State;

    /// <param name="receiveBufferBytes">Shrinks the client's TCP receive buffer, to make a client that stops reading fill up quickly.</param>
    /// <param name="origin">An <c>Origin</c> header, as a browser sends; none by default, as other clients.</param>
    public static Task<TestSocket> ConnectAsync(StandaloneServer server, string token, string subprotocol = Subprotocols.Protobuf, int? receiveBufferBytes = null, string? origin = null) =>
        ConnectAsync(server.WebSocketAddress, token, subprotocol, receiveBufferBytes, origin);

    /// <param name="webSocketAddress">The gateway's <c>/ws</c>.</param>
    public static async Task<TestSocket> ConnectAsync(Uri webSocketAddress, string token, string subprotocol = Subprotocols.Protobuf, int? receiveBufferBytes = null, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subprotocol);
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } size)
                {
                    tcp.ReceiveBufferSize = size;
                }

                await tcp.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        var invoker = new HttpMessageInvoker(handler);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(webSocketAddress, invoker, timeout.Token);
        var client = new TestSocket(socket, invoker, subprotocol);
        var first = await client.ReceiveAsync();
        client.Welcome = first.Welcome ?? throw new InvalidOperationException($"Expected a welcome packet first, got {first}");
        return client;
    }

    /// <summary>Connects as a browser must, with the token as <c>?access_token=</c> and no <c>Authorization</c> header.</summary>
    public static async Task<TestSocket> ConnectWithQueryTokenAsync(Uri webSocketAddress, string token, string subprotocol = Subprotocols.Protobuf)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subprotocol);
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await socket.ConnectAsync(new Uri($"{webSocketAddress}?access_token={Uri.EscapeDataString(token)}"), invoker, timeout.Token);
        var client = new TestSocket(socket, invoker, subprotocol);
        var first = await client.ReceiveAsync();
        client.Welcome = first.Welcome ?? throw new InvalidOperationException($"Expected a welcome packet first, got {first}");
        return client;
    }

    public Task SendAsync(WsPacket packet)
    {
        var bytes = IsJson ? Encoding.UTF8.GetBytes(ProtobufJson.Formatter.Format(packet)) : packet.ToByteArray();
        return SendRawAsync(bytes, IsJson ? WebSocketMessageType.Text : WebSocketMessageType.Binary);
    }

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public Task SendMessageAsync(string sessionId, string content, string? clientMsgId = null) =>
        SendAsync(new WsPacket { Send = new SendCommand { SessionId = sessionId, Content = content, ClientMsgId = clientMsgId ?? Guid.NewGuid().ToString("N") } });

    /// <summary>The next packet; throws <see cref="SocketClosedException"/> when a close frame comes instead.</summary>
    public async Task<WsPacket> ReceiveAsync(TimeSpan? timeout = null)
    {
        if (_backlog.Count > 0)
        {
            var first = _backlog[0];
            _backlog.RemoveAt(0);
            return first;
        }

        return await ReceiveFromSocketAsync(timeout);
    }

    private async Task<WsPacket> ReceiveFromSocketAsync(TimeSpan? timeout)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new SocketClosedException(_socket.CloseStatus, _socket.CloseStatusDescription);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return IsJson
                    ? ProtobufJson.Parser.Parse<WsPacket>(Encoding.UTF8.GetString(_buffer, 0, length))
                    : WsPacket.Parser.ParseFrom(_buffer, 0, length);
            }
        }
    }

    /// <summary>
    /// The next packet with the given body. Packets of other kinds that arrive first are kept, in
    /// order, for later receives (e.g. pushes that arrive while awaiting an ack).
    /// </summary>
    public Task<WsPacket> ReceiveUntilAsync(WsPacket.BodyOneofCase body, TimeSpan? timeout = null) =>
        ReceiveUntilAnyAsync([body], timeout);

    /// <summary>The next packet with one of the given bodies; the others that arrive first are kept, as by <see cref="ReceiveUntilAsync"/>.</summary>
    public async Task<WsPacket> ReceiveUntilAnyAsync(WsPacket.BodyOneofCase[] bodies, TimeSpan? timeout = null)
    {
        var index = _backlog.FindIndex(p => bodies.Contains(p.BodyCase));
        if (index >= 0)
        {
            var kept = _backlog[index];
            _backlog.RemoveAt(index);
            return kept;
        }

        while (true)
        {
            var packet = await ReceiveFromSocketAsync(timeout);
            if (bodies.Contains(packet.BodyCase))
            {
                return packet;
            }

            _backlog.Add(packet);
        }
    }

    /// <summary>The next <paramref name="count"/> pushes, skipping acks and other packets.</summary>
    public async Task<List<Push>> ReceivePushesAsync(int count, TimeSpan? timeout = null)
    {
        var pushes = new List<Push>(count);
        while (pushes.Count < count)
        {
            pushes.Add((await ReceiveUntilAsync(WsPacket.BodyOneofCase.Push, timeout)).Push);
        }

        return pushes;
    }

    /// <summary>Reads until the server closes the socket; returns the close status and reason it sent.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        try
        {
            while (true)
            {
                await ReceiveAsync(timeout);
            }
        }
        catch (SocketClosedException closed)
        {
            return (closed.Status, closed.Reason);
        }
    }

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _invoker.Dispose();
        return ValueTask.CompletedTask;
    }
}
