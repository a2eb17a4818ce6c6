using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Resonance.Contracts;
using Resonance.Testing;
using Serilog.Events;

namespace Resonance.EndToEnd.Tests;

/// <summary>Request bodies Kestrel cannot read are the client's fault: 400 problem details, no error in the log.</summary>
public sealed class BadRequestBodyTests : IAsyncLifetime
{
    private readonly LogRecorder _log = new();
    private StandaloneServer? _server;

    private StandaloneServer Server => _server!;

    public async Task InitializeAsync() => _server = await StandaloneServer.StartAsync(configure: builder =>
    {
        _log.Install(builder);
        // A body must come at 1 KB/s after a grace period of 1.5 s, so a stalled one fails fast.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(1024, TimeSpan.FromSeconds(1.5)));
    });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData("/api/v1/dev/token", "zz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("/api/v1/dev/token", "2\r\n{}XX0\r\n\r\n")]
    [InlineData("/api/v1/sessions", "zz\r\n{}\r\n0\r\n\r\n")]
    [InlineData("/api/v1/sessions", "2\r\n{}XX0\r\n\r\n")]
    public async Task A_malformed_chunked_body_gets_400_problem_details_and_no_error_is_logged(string path, string body)
    {
        var authorization = path == "/api/v1/dev/token" ? string.Empty : $"Authorization: Bearer {await Server.GetTokenAsync(Names.User("alice"))}\r\n";

        var response = await RawHttpResponse.ExchangeAsync(Server.BaseAddress,
            $"POST {path} HTTP/1.1\r\nHost: localhost\r\n{authorization}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{body}");

        AssertInvalidArgumentProblem(response);
        AssertAtMostAWarningWasLogged();
    }

    [Fact]
    public async Task A_body_slower_than_the_minimum_data_rate_gets_400_problem_details_and_no_error_is_logged()
    {
        // 1,000 bytes announced, 12 sent, then nothing: the connection stays open until the server gives up.
        var response = await RawHttpResponse.ExchangeAsync(Server.BaseAddress,
            "POST /api/v1/dev/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"username\":");

        AssertInvalidArgumentProblem(response);
        AssertAtMostAWarningWasLogged();
    }

    private static void AssertInvalidArgumentProblem(RawHttpResponse response)
    {
        Assert.Equal(400, response.Status);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal(ErrorCodes.InvalidArgument, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    private void AssertAtMostAWarningWasLogged()
    {
        var worst = _log.Events.Where(e => e.Level > LogEventLevel.Warning || e.Exception is not null).ToList();
        Assert.True(worst.Count == 0, string.Join(Environment.NewLine, worst.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Level}: {e.RenderMessage(CultureInfo.InvariantCulture)} {e.Exception}"))));
        // A warning at most (the handler's; on a loaded machine Kestrel may add its own, e.g. about its heartbeat).
        Assert.True(_log.Events.Count(e => e.Level == LogEventLevel.Warning
            && e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == "\"Resonance.Hosting.BadRequestExceptionHandler\"") <= 1);
    }
}
