using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Resonance.Browser.Tests;

/// <summary>
/// Refuses new WebSocket connections while closed, so a test can hold a client in its
/// reconnecting state for as long as it needs instead of racing its backoff timer.
/// </summary>
public sealed class SocketGate : IStartupFilter
{
    private volatile bool _closed;

    public void Close() => _closed = true;

    public void Open() => _closed = false;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (_closed && context.Request.Path.StartsWithSegments("/ws"))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await nextMiddleware(context);
        });
        next(app);
    };
}
