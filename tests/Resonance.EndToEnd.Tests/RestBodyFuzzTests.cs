using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Google.Protobuf;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Testing;
using Serilog.Events;
using Xunit.Abstractions;

namespace Resonance.EndToEnd.Tests;

/// <summary>
/// Random and mutated bodies, JSON or protobuf, to the REST endpoints that take one: every answer is a
/// 2xx or a 4xx problem, never a 5xx or an error in the log, and the host still serves normal requests.
/// </summary>
public sealed class RestBodyFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Gen<string> Text = Gen.OneOf(Gen.String[0, 30], Gen.String.AlphaNumeric, Gen.Const(string.Empty));

    // Mostly valid usernames, so that many requests get past the checks to the commands.
    private static readonly Gen<string> Member = Gen.Frequency(
        (6, Gen.String[Gen.Char.AlphaNumeric, 1, 12]),
        (1, Gen.OneOf("alice", "bob", "a.b-c_d", "-leading", "", " ", new string('x', Usernames.MaxLength + 1))),
        (1, Text));

    private static readonly Gen<IMessage> Request = Gen.OneOf<IMessage>(
        Gen.Select(Gen.Frequency((4, Gen.Const(SessionKinds.Group)), (2, Gen.Const(SessionKinds.Direct)), (1, Text)), Text, Member.Array[0, 6],
            (kind, name, members) => new CreateSessionRequest { Kind = kind, Name = name, Members = { members } }),
        Member.Array[0, 6].Select(members => (IMessage)new AddMembersRequest { Members = { members } }));

    private static readonly Gen<byte[]> JsonFragment = Gen.OneOf(
        "{", "}", "[", "]", "\"", ":", ",", "\\", "\\u", "\\ud800", "null", "true", "-", "1e999", "\"members\":", "\"members\":[null]", "\"kind\":7", "\"name\":{}", "\0")
        .Select(Encoding.UTF8.GetBytes);

    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.OneOf<Func<byte[], byte[]>>(
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte, (at, value) => (Func<byte[], byte[]>)(bytes =>
            bytes.Length == 0 ? bytes : [.. bytes[..(at % bytes.Length)], value, .. bytes[(at % bytes.Length + 1)..]])),
        Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(bytes => bytes.Length == 0 ? bytes : bytes[..(at % bytes.Length)])),
        Gen.Int[0, int.MaxValue].Select(at => (Func<byte[], byte[]>)(bytes =>
            bytes.Length == 0 ? bytes : [.. bytes[..(at % bytes.Length)], .. bytes[(at % bytes.Length + 1)..]])),
        Gen.Select(Gen.Int[0, int.MaxValue], JsonFragment, (at, fragment) => (Func<byte[], byte[]>)(bytes =>
            [.. bytes[..(at % (bytes.Length + 1))], .. fragment, .. bytes[(at % (bytes.Length + 1))..]])));

    private static readonly Gen<byte[]> Body = Gen.OneOf(
        Gen.Byte.Array[0, 200],
        Request.Select(r => Encoding.UTF8.GetBytes(ProtobufJson.Formatter.Format(r))),
        Gen.Select(Request, Mutation.Array[1, 5], (r, mutations) => mutations.Aggregate(Encoding.UTF8.GetBytes(ProtobufJson.Formatter.Format(r)), (b, m) => m(b))),
        Request.Select(r => r.ToByteArray()),
        Gen.Select(Request, Mutation.Array[1, 5], (r, mutations) => mutations.Aggregate(r.ToByteArray(), (b, m) => m(b))),
        Text.Select(Encoding.UTF8.GetBytes));

    private static readonly Gen<string?> ContentType = Gen.OneOf<string?>("application/json", "application/x-protobuf", "application/octet-stream", "text/plain", null);

    private readonly LogRecorder _log = new();
    private StandaloneServer? _server;

    private StandaloneServer Server => _server!;

    public async Task InitializeAsync() => _server = await StandaloneServer.StartAsync(
        new Dictionary<string, string?> { ["Gateway:SessionCreateLimit"] = "0", ["Gateway:RestRequestRate"] = "0" },
        configure: _log.Install);

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Random_and_mutated_bodies_get_2xx_or_4xx_problem_details_and_the_host_serves_on()
    {
        var alice = Names.User("alice");
        var token = await Server.GetTokenAsync(alice);
        var session = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("bob"));
        var paths = Gen.OneOf(
            Gen.Const("/api/v1/sessions"),
            Gen.Const($"/api/v1/sessions/{session}/members"),
            Text.Select(id => $"/api/v1/sessions/{Uri.EscapeDataString(id)}/members"));
        var statuses = new SortedDictionary<int, int>();

        var cases = await Fuzz.RunAsync(nameof(Random_and_mutated_bodies_get_2xx_or_4xx_problem_details_and_the_host_serves_on),
            Gen.Select(paths, Body, ContentType), async request =>
            {
                var (path, body, contentType) = request;
                using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (contentType is not null)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }

                using var response = await Server.Http.SendAsync(message);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                statuses[status] = statuses.GetValueOrDefault(status) + 1;

                Assert.True(status is >= 200 and < 300 or >= 400 and < 500, $"{status} for {path}: {text}");
                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    using var problem = JsonDocument.Parse(text);
                    Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
                }
            }, 1000);

        // And the host still serves a normal request.
        var after = await Server.CreateSessionAsync(token, SessionKinds.Group, Names.User("carol"));
        var added = await Server.PostAsync<AddMembersResponse>($"/api/v1/sessions/{after}/members", new AddMembersRequest { Members = { Names.User("dave") } }, token);
        Assert.Equal(3, added.Members.Count);
        Assert.Equal(1000, cases);
        Assert.True(statuses.Keys.Any(s => s < 300) && statuses.Keys.Any(s => s >= 400), string.Join(", ", statuses));
        var errors = _log.Events.Where(e => e.Level >= LogEventLevel.Error).ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.RenderMessage(CultureInfo.InvariantCulture)} {e.Exception}"))));
        using var list = await Server.SendAsync(HttpMethod.Get, "/api/v1/sessions", null, token);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        output.WriteLine($"{cases} cases; answers by status: {string.Join(", ", statuses)}");
    }
}
