using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Resonance.Bench.Infrastructure;

namespace Resonance.Bench.Baselines;

/// <summary>
/// The "practical limit" baseline: Kestrel WebSockets and nothing else. Every socket on
/// <see cref="ReceivePath"/> is in the one group; each message a socket on <see cref="SendPath"/> sends is
/// copied once into a byte[] and that same array is queued to every receiver, each written by its own loop.
/// No storage, no order across senders, no acks, no auth.
/// </summary>
internal sealed class RawBroadcastServer : IAsyncDisposable
{
    public const string ReceivePath = "/receive";
    public const string SendPath = "/send";

    /// <summary>Frames queued per receiver: the Resonance gateway's default outbound queue (Gateway:OutboundQueueCapacity).</summary>
    public const int QueueCapacity = 1_024;

    private const int MaxMessageBytes = 64 * 1024;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private BroadcastReceiver[] _receivers = [];
    private long _dropped;

    private RawBroadcastServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Frames not queued because a receiver's queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public static async Task<RawBroadcastServer> StartAsync(CancellationToken cancellationToken)
    {
        var app = BaselineHost.CreateBuilder().Build();
        var server = new RawBroadcastServer(app);
        app.UseWebSockets();
        app.Map(ReceivePath, server.ReceiveAsync);
        app.Map(SendPath, server.SendAsync);
        await app.StartAsync(cancellationToken);
        server.BaseAddress = ListeningAddress.Of(app);
        return server;
    }

    public ValueTask DisposeAsync() => BaselineHost.StopAsync(_app);

    private async Task ReceiveAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var receiver = new BroadcastReceiver(socket, QueueCapacity);
        receiver.Announce();
        lock (_gate)
        {
            _receivers = [.. _receivers, receiver];
        }

        try
        {
            await receiver.RunAsync(_app.Lifetime.ApplicationStopping);
        }
        finally
        {
            lock (_gate)
            {
                _receivers = Array.FindAll(_receivers, r => !ReferenceEquals(r, receiver));
            }
        }
    }

    private async Task SendAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var stopping = _app.Lifetime.ApplicationStopping;
        var buffer = new ArrayBufferWriter<byte>(4 * 1024);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), stopping);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, stopping);
                    return;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, null, stopping);
                    return;
                }

                if (result.EndOfMessage)
                {
                    Broadcast(buffer.WrittenSpan.ToArray());
                    buffer.ResetWrittenCount();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The sender went away or the host is stopping.
        }
    }

    /// <summary>The same array to every receiver: encoded once, queued without waiting.</summary>
    private void Broadcast(byte[] frame)
    {
        var receivers = Volatile.Read(ref _receivers);
        foreach (var receiver in receivers)
        {
            if (!receiver.TryEnqueue(frame))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }
}
