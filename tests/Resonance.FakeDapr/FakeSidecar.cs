using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Resonance.FakeDapr;

/// <summary>
/// A TEST DOUBLE of one daprd beside one app instance: its HTTP API (health, service invocation, actors)
/// on one loopback port and its gRPC API (state, publish) on another, and the calls daprd makes into the app
/// (<c>/dapr/config</c>, <c>/dapr/subscribe</c>, CloudEvent deliveries, actor methods) with the app API token.
/// </summary>
public sealed class FakeSidecar : IAsyncDisposable
{
    /// <summary>The header of both tokens, each in its direction (dapr/dapr pkg/security/consts).</summary>
    internal const string DaprApiTokenHeader = "dapr-api-token";

    private static int _instances;

    private readonly WebApplication _host;
    private volatile bool _live;
    private int _disposed;
    private Uri? _app;

    private FakeSidecar(FakeDaprCluster cluster, string appId, SidecarTokens tokens, WebApplication host, int httpPort, int grpcPort)
    {
        Cluster = cluster;
        AppId = appId;
        AppApiToken = tokens.AppApiToken;
        DaprApiToken = tokens.DaprApiToken;
        _host = host;
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
        InstanceId = $"{appId}#{Interlocked.Increment(ref _instances)}";
    }

    public string AppId { get; }

    /// <summary>Unique per instance of an app-id.</summary>
    public string InstanceId { get; }

    public Uri HttpEndpoint { get; }

    public Uri GrpcEndpoint { get; }

    /// <summary>The token this sidecar presents to its app (daprd's <c>APP_API_TOKEN</c>); none when null.</summary>
    public string? AppApiToken { get; }

    /// <summary>The token the app must present on every API call but health (daprd's <c>DAPR_API_TOKEN</c>); none when null.</summary>
    public string? DaprApiToken { get; }

    /// <summary>Attached to a running app and not stopped.</summary>
    public bool IsLive => _live;

    internal FakeDaprCluster Cluster { get; }

    /// <summary>The actor types the app said it hosts (<c>/dapr/config</c> entities).</summary>
    public IReadOnlySet<string> ActorTypes { get; private set; } = new HashSet<string>();

    /// <summary>The app's subscriptions (<c>/dapr/subscribe</c>).</summary>
    public IReadOnlyList<Subscription> Subscriptions { get; private set; } = [];

    /// <summary>
    /// Does what daprd does once the app's port is open: reads <c>/dapr/config</c> (actor types it hosts) and
    /// <c>/dapr/subscribe</c> (its subscriptions), then takes traffic for it.
    /// </summary>
    public async Task AttachAppAsync(Uri appAddress, CancellationToken cancellationToken = default)
    {
        _app = appAddress;
        using (var config = await GetJsonAsync("/dapr/config", cancellationToken))
        {
            ActorTypes = config is not null && config.RootElement.TryGetProperty("entities", out var entities)
                ? entities.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal)
                : new HashSet<string>();
        }

        using (var subscribe = await GetJsonAsync("/dapr/subscribe", cancellationToken))
        {
            Subscriptions = subscribe is null ? [] : [.. subscribe.RootElement.EnumerateArray().Select(ParseSubscription)];
        }

        _live = true;
    }

    /// <summary>The app is gone, as if its pod died: nothing is routed to it; its actors are placed elsewhere.</summary>
    public Task StopAppAsync()
    {
        _live = false;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _live = false;
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
    }

    internal static async Task<FakeSidecar> StartAsync(FakeDaprCluster cluster, string appId, SidecarTokens tokens)
    {
        // A free port can be taken by another host between looking and binding: look again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnAsync(cluster, appId, tokens, FreePort(), FreePort());
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }

    private static async Task<FakeSidecar> StartOnAsync(FakeDaprCluster cluster, string appId, SidecarTokens tokens, int httpPort, int grpcPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(grpc => grpc.Interceptors.Add<DaprApiTokenInterceptor>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Grpc.AspNetCore.Server.Model.IServiceMethodProvider<DaprGrpcService>, DaprGrpcService.MethodProvider>());
        FakeSidecar? sidecar = null;
        builder.Services.AddSingleton(_ => new DaprGrpcService(sidecar!));
        var host = builder.Build();
        sidecar = new FakeSidecar(cluster, appId, tokens, host, httpPort, grpcPort);
        host.MapGrpcService<DaprGrpcService>();
        sidecar.MapHttpApi(host);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return sidecar;
    }

    internal async Task DeactivateAsync(string actorType, string actorId, CancellationToken cancellationToken)
    {
        using var request = ToApp(HttpMethod.Delete, $"/actors/{actorType}/{Uri.EscapeDataString(actorId)}");
        try
        {
            using var _ = await Cluster.AppClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Gone already: nothing to deactivate.
        }
    }

    internal async Task<DeliveryOutcome> PostEventAsync(string route, string cloudEvent, CancellationToken cancellationToken)
    {
        using var request = ToApp(HttpMethod.Post, "/" + route.TrimStart('/'));
        request.Content = new StringContent(cloudEvent, Encoding.UTF8, "application/cloudevents+json");
        try
        {
            using var response = await Cluster.AppClient.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return DeliveryOutcome.Drop;
            }

            if (!response.IsSuccessStatusCode)
            {
                return DeliveryOutcome.Retry;
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(body))
            {
                return DeliveryOutcome.Success;
            }

            // A 2xx body that is not a status object counts as success; an unknown status as retry
            // (dapr/dapr pkg/runtime/subscription/postman/http/http.go).
            string? status;
            try
            {
                using var json = JsonDocument.Parse(body);
                status = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
            }
            catch (JsonException)
            {
                return DeliveryOutcome.Success;
            }

            return status switch
            {
                null or "" or "SUCCESS" => DeliveryOutcome.Success,
                "DROP" => DeliveryOutcome.Drop,
                _ => DeliveryOutcome.Retry,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return DeliveryOutcome.Retry;
        }
    }

    private void MapHttpApi(WebApplication host)
    {
        // With DAPR_API_TOKEN set, daprd answers 401 "invalid api token" to any call without it but
        // GET /v1.0/healthz and /v1.0/healthz/outbound (dapr/dapr pkg/api/http/middlewares.go, APITokenAuthMiddleware).
        // The gRPC port (HTTP/2) checks the token in DaprApiTokenInterceptor.
        host.UseWhen(http => http.Connection.LocalPort == HttpEndpoint.Port, http1 => http1.Use(async (http, next) =>
        {
            var path = http.Request.Path.Value?.Trim('/');
            var excluded = HttpMethods.IsGet(http.Request.Method) && path is "v1.0/healthz" or "v1.0/healthz/outbound";
            if (DaprApiToken is not null && !excluded && http.Request.Headers[DaprApiTokenHeader] != DaprApiToken)
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await http.Response.WriteAsync("invalid api token");
                return;
            }

            http.Request.Headers.Remove(DaprApiTokenHeader);
            await next(http);
        }));
        // daprd is healthy once it has reached its app; its outbound side (components, what WaitForSidecarAsync
        // polls) before that (dapr/dapr pkg/api/http/healthz.go; ERR_HEALTH_NOT_READY in pkg/messages).
        host.MapGet("/v1.0/healthz", () => _live
            ? Results.NoContent()
            : Results.Json(new { errorCode = "ERR_HEALTH_NOT_READY", message = "dapr is not ready: [app]" }, statusCode: StatusCodes.Status500InternalServerError));
        host.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
        host.Map("/v1.0/invoke/{appId}/method/{**path}", InvokeAsync);
        host.MapMethods("/v1.0/actors/{actorType}/{actorId}/method/{method}", ["PUT", "POST"], InvokeActorAsync);
        host.MapGet("/v1.0/actors/{actorType}/{actorId}/state/{key}", GetActorState);
        host.MapMethods("/v1.0/actors/{actorType}/{actorId}/state", ["PUT", "POST"], SaveActorStateAsync);

        // Not simulated: reminders and timers are accepted and never fire.
        host.MapMethods("/v1.0/actors/{actorType}/{actorId}/reminders/{name}", ["PUT", "POST", "DELETE", "GET"], () => Results.NoContent());
        host.MapMethods("/v1.0/actors/{actorType}/{actorId}/timers/{name}", ["PUT", "POST", "DELETE"], () => Results.NoContent());
    }

    /// <summary>Service invocation (dapr/dapr pkg/http: <c>/v1.0/invoke/{id}/method/{path}</c>): verb, path, query, headers and body to one live instance, its answer back.</summary>
    private async Task InvokeAsync(HttpContext http, string appId, string? path)
    {
        var target = Cluster.Faults.InvocationsFail(appId) ? null : Cluster.PickInstance(appId);
        if (target is null)
        {
            // What daprd answers when it cannot reach the app (ERR_DIRECT_INVOKE, 500).
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsJsonAsync(new { errorCode = "ERR_DIRECT_INVOKE", message = $"failed to invoke, id: {appId}, err: no live instance" });
            return;
        }

        using var request = target.ToApp(new HttpMethod(http.Request.Method), "/" + path + http.Request.QueryString);
        foreach (var (name, values) in http.Request.Headers)
        {
            if (!IsHopHeader(name) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
            }
        }

        if (http.Request.ContentLength > 0 || http.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            request.Content = new StreamContent(http.Request.Body);
            if (http.Request.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        try
        {
            using var response = await Cluster.AppClient.SendAsync(request, http.RequestAborted);
            await RelayAsync(http, response);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsJsonAsync(new { errorCode = "ERR_DIRECT_INVOKE", message = ex.ToString() });
        }
    }

    /// <summary>An actor method: placed, run in the actor's turn, forwarded as <c>PUT /actors/{type}/{id}/method/{method}</c>.</summary>
    private async Task InvokeActorAsync(HttpContext http, string actorType, string actorId, string method)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        try
        {
            using var response = await Cluster.CallActorAsync(actorType, actorId, host =>
            {
                var request = host.ToApp(HttpMethod.Put, $"/actors/{actorType}/{Uri.EscapeDataString(actorId)}/method/{method}");
                request.Content = new ByteArrayContent(body.ToArray());
                request.Content.Headers.TryAddWithoutValidation("Content-Type", http.Request.ContentType ?? "application/json");
                return Cluster.AppClient.SendAsync(request, http.RequestAborted);
            }, http.RequestAborted);
            await RelayAsync(http, response);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.Response.WriteAsJsonAsync(new { errorCode = "ERR_ACTOR_INVOKE_METHOD", message = ex.ToString() });
        }
    }

    /// <summary>Actor state: 200 with the stored JSON, 204 for a key never saved (dapr/dapr pkg/http actor state).</summary>
    private IResult GetActorState(string actorType, string actorId, string key)
    {
        var store = Cluster.ActorStore;
        if (store is null)
        {
            return Results.Json(new { errorCode = "ERR_ACTOR_RUNTIME_NOT_FOUND", message = "no actor state store" }, statusCode: 500);
        }

        return store.Get(ActorKey(actorType, actorId, key)) is { } entry
            ? Results.Bytes(entry.Value, "application/json")
            : Results.NoContent();
    }

    /// <summary>The actor state transaction the .NET actor runtime sends: <c>[{"operation":"upsert"|"delete","request":{"key","value","metadata"}}]</c>, all or nothing.</summary>
    private async Task<IResult> SaveActorStateAsync(HttpContext http, string actorType, string actorId)
    {
        var store = Cluster.ActorStore;
        if (store is null)
        {
            return Results.Json(new { errorCode = "ERR_ACTOR_RUNTIME_NOT_FOUND", message = "no actor state store" }, statusCode: 500);
        }

        using var operations = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        var writes = new List<StateWrite>();
        foreach (var operation in operations.RootElement.EnumerateArray())
        {
            var kind = operation.GetProperty("operation").GetString();
            var request = operation.GetProperty("request");
            var key = ActorKey(actorType, actorId, request.GetProperty("key").GetString()!);
            long? ttl = request.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("ttlInSeconds", out var t) && long.TryParse(t.GetString(), out var seconds) ? seconds : null;
            writes.Add(kind == "delete"
                ? new StateWrite(key, [], null, false, Delete: true, null)
                : new StateWrite(key, Encoding.UTF8.GetBytes(request.GetProperty("value").GetRawText()), null, false, Delete: false, ttl));
        }

        if (Cluster.Options.StateStores.Find(s => s.ActorStateStore)?.MultiMaxSize is { } max && writes.Count > max)
        {
            // pkg/actors/state: ErrTransactionsTooManyOperations, answered as ERR_ACTOR_STATE_TRANSACTION_SAVE.
            return Results.Json(
                new { errorCode = "ERR_ACTOR_STATE_TRANSACTION_SAVE", message = "error saving actor transaction state: the transaction contains more operations than supported by the state store" },
                statusCode: 500);
        }

        store.Apply(writes);
        return Results.NoContent();
    }

    private string ActorKey(string actorType, string actorId, string key) => $"{AppId}||{actorType}||{actorId}||{key}";

    private HttpRequestMessage ToApp(HttpMethod method, string pathAndQuery)
    {
        var app = _app ?? throw new InvalidOperationException($"{InstanceId} has no app attached");
        var request = new HttpRequestMessage(method, new Uri(app, pathAndQuery));
        if (!string.IsNullOrEmpty(AppApiToken))
        {
            request.Headers.TryAddWithoutValidation(DaprApiTokenHeader, AppApiToken);
        }

        return request;
    }

    private async Task<JsonDocument?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = ToApp(HttpMethod.Get, path);
        using var response = await Cluster.AppClient.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static Subscription ParseSubscription(JsonElement element)
    {
        // daprd decodes these names with Go's case-insensitive JSON matching: the SDK writes pubsubName, others pubsubname.
        string? Get(string name) => element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        var route = Get("route");
        if (route is null && element.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "routes", StringComparison.OrdinalIgnoreCase)).Value is { ValueKind: JsonValueKind.Object } routes
            && routes.TryGetProperty("default", out var fallback))
        {
            route = fallback.GetString();
        }

        return new Subscription(Get("pubsubName") ?? string.Empty, Get("topic") ?? string.Empty, route ?? string.Empty, Get("deadLetterTopic"));
    }

    private static async Task RelayAsync(HttpContext http, HttpResponseMessage response)
    {
        http.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            http.Response.ContentType = contentType.ToString();
        }

        await response.Content.CopyToAsync(http.Response.Body);
    }

    private static bool IsHopHeader(string name) => name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase) || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals(DaprApiTokenHeader, StringComparison.OrdinalIgnoreCase);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
