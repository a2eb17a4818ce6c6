using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Resonance.Contracts;
using Resonance.Contracts.V1;

namespace Resonance.Client.Tests;

/// <summary>
/// A stand-in for the gateway that the test drives frame by frame (protobuf subprotocol), for what
/// the real server cannot be made to do on cue: answer out of order, fail a sync, close right after
/// the welcome, announce an unusual heartbeat interval. Close frames from the client are answered
/// at once, so a client's close handshake never waits on the test.
/// </summary>
internal sealed class FakeGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<FakeConnection> _accepted = Channel.CreateUnbounded<FakeConnection>();
    private readonly List<FakeConnection> _all = [];
    private int _connections;

    private FakeGateway(WebApplication app) => _app = app;

    /// <summary>The socket address, <c>ws://127.0.0.1:port/ws</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>WebSocket connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static async Task<FakeGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new FakeGateway(app);
        app.UseWebSockets();
        app.Map("/ws", gateway.AcceptAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        gateway.Address = new Uri(address.Replace("http", "ws", StringComparison.Ordinal) + "/ws");
        return gateway;
    }

    /// <summary>The next connection the client opens.</summary>
    public async Task<FakeConnection> NextConnectionAsync()
    {
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        return await _accepted.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Accepts the client's next connection and welcomes it.</summary>
    public async Task<FakeConnection> WelcomeNextAsync(int heartbeatIntervalSeconds = 0, int maxFrameBytes = 64 * 1024)
    {
        var connection = await NextConnectionAsync();
        await connection.WelcomeAsync(heartbeatIntervalSeconds, maxFrameBytes);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_all)
        {
            foreach (var connection in _all)
            {
                connection.Abort();
            }
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(Subprotocols.Protobuf);
        var connection = new FakeConnection(socket, Interlocked.Increment(ref _connections));
        lock (_all)
        {
            _all.Add(connection);
        }

        _accepted.Writer.TryWrite(connection);
        await connection.Completion;
    }
}

/// <summary>One client connection to the <see cref="FakeGateway"/>.</summary>
internal sealed class FakeConnection
{
    private readonly WebSocket _socket;
    private readonly Channel<WsPacket> _received = Channel.CreateUnbounded<WsPacket>();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _pings;

    public FakeConnection(WebSocket socket, int number)
    {
        _socket = socket;
        Number = number;
        Completion = ReadLoopAsync();
    }

    /// <summary>1 for the first connection the gateway accepted, 2 for the next, …</summary>
    public int Number { get; }

    /// <summary>Answer each ping with a pong (before the test sees it). Default false.</summary>
    public bool AnswerPings { get; set; }

    public int Pings => Volatile.Read(ref _pings);

    /// <summary>Ends when the socket is closed (the client's close answered) or broken.</summary>
    public Task Completion { get; }

    public Task WelcomeAsync(int heartbeatIntervalSeconds = 0, int maxFrameBytes = 64 * 1024) => SendAsync(new WsPacket
    {
        Welcome = new Welcome
        {
            Username = "alice",
            ConnectionId = $"fake-{Number}",
            GatewayId = "fake",
            IdleTimeoutSeconds = 90,
            HeartbeatIntervalSeconds = heartbeatIntervalSeconds,
            MaxFrameBytes = maxFrameBytes,
        },
    });

    public Task PushAsync(string sessionId, long seq, string? content = null) => SendAsync(new WsPacket { Push = Message(sessionId, seq, content) });

    public static Push Message(string sessionId, long seq, string? content = null) => new()
    {
        SessionId = sessionId,
        Seq = seq,
        MsgId = $"{sessionId}-{seq}",
        From = "bob",
        Content = content ?? $"m{seq}",
    };

    public async Task SendAsync(WsPacket packet)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(packet.ToByteArray(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>The next packet from the client other than a ping.</summary>
    public async Task<WsPacket> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Timeouts.Default);
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>The next sync command from the client.</summary>
    public async Task<SyncCommand> ReceiveSyncAsync()
    {
        var packet = await ReceiveAsync();
        Assert.Equal(WsPacket.BodyOneofCase.Sync, packet.BodyCase);
        return packet.Sync;
    }

    /// <summary>Starts the close handshake; <see cref="Completion"/> ends once the client answers.</summary>
    public async Task CloseAsync(WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.CloseOutputAsync(status, "closed by the test", CancellationToken.None);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Breaks the socket off, unless it already ended (its request is then over and the socket disposed).</summary>
    public void Abort()
    {
        if (Completion.IsCompleted)
        {
            return;
        }

        try
        {
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), CancellationToken.None);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _sending.WaitAsync();
                        try
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                        }
                        finally
                        {
                            _sending.Release();
                        }
                    }

                    return;
                }

                var packet = WsPacket.Parser.ParseFrom(buffer.WrittenSpan);
                if (packet.BodyCase == WsPacket.BodyOneofCase.Ping)
                {
                    if (AnswerPings)
                    {
                        await SendAsync(new WsPacket { Pong = new Pong() });
                    }

                    Interlocked.Increment(ref _pings);
                    continue;
                }

                _received.Writer.TryWrite(packet);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }
}
