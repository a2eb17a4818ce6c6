using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Resonance.Gateway.Api;

/// <summary>The browser chat page at <c>/</c>: static files embedded in this assembly from <c>wwwroot/</c>, with <see cref="SecurityHeaders"/>.</summary>
public static class ChatPage
{
    // Embedded resources are named after the folder they came from: Resonance.Gateway.wwwroot.app.js.
    private const string ResourceNamespace = "Resonance.Gateway.wwwroot";

    public static IApplicationBuilder MapChatPage(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new EmbeddedFileProvider(typeof(ChatPage).Assembly, ResourceNamespace);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                // The files change with every deployment of the gateway: revalidate rather than cache.
                context.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
                SecurityHeaders.Apply(context.Context.Response);
            },
        });
        return app;
    }
}
