using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapr.Client;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Resonance.Contracts;

namespace Resonance.Hosting.Dapr;

/// <summary>
/// Calls another app's internal endpoint by app-id through the sidecar (Dapr service invocation,
/// the SDK's <see cref="DaprClient.CreateInvokeHttpClient"/>), protobuf both ways, within
/// <see cref="DaprAppOptions.InvokeTimeout"/>. A rejection arrives as the <see cref="ResonanceException"/>
/// the callee threw; an unreachable app or a timeout as <see cref="ErrorCodes.Unavailable"/>.
/// </summary>
public sealed class SidecarInvoker(DaprSidecarOptions sidecar, IOptions<DaprAppOptions> options) : IDisposable
{
    private static readonly MediaTypeHeaderValue Protobuf = new(DaprNames.ProtobufContentType);

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout = options.Value.InvokeTimeout;

    public async Task<TResponse> InvokeAsync<TResponse>(string appId, HttpMethod method, string path, IMessage? body, string? user, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>, new()
    {
        var http = _clients.GetOrAdd(appId, Create);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body.ToByteArray()) { Headers = { ContentType = Protobuf } };
        }

        if (user is not null)
        {
            request.Headers.Add(DaprNames.UserHeader, user);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (HttpRequestException ex)
        {
            throw new ResonanceException(ErrorCodes.Unavailable, $"{appId} cannot be reached: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ResonanceException(ErrorCodes.Unavailable, $"{appId} did not answer within {_timeout.TotalSeconds:0.#} s");
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var parser = new MessageParser<TResponse>(() => new TResponse());
                return parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(deadline.Token));
            }

            throw await RejectionAsync(appId, response, deadline.Token);
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>The callee's problem details (code and detail) as an exception; a sidecar error without a code by its status.</summary>
    private static async Task<ResonanceException> RejectionAsync(string appId, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? code = null;
        string? detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.ValueKind == JsonValueKind.Object)
            {
                code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString()
                    : problem.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not JSON: the status alone says what happened.
        }

        if (!ErrorStatus.IsKnown(code))
        {
            // No code of ours: the sidecar answered (app unreachable, no such method…), not the app.
            code = status >= 500 ? ErrorCodes.Unavailable : ErrorStatus.FromHttpStatus(status);
            if (code == ErrorCodes.SessionNotFound)
            {
                code = ErrorCodes.Internal;
            }
        }

        return new ResonanceException(code!, detail ?? $"{appId} answered {status}");
    }

    private HttpClient Create(string appId)
    {
        var token = sidecar.DaprApiToken.Length > 0 ? sidecar.DaprApiToken : null;
        var client = DaprClient.CreateInvokeHttpClient(appId, sidecar.HttpEndpoint.ToString(), token);
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }
}
