using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Local;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Tests;

/// <summary>
/// The Local engine's logic service over a real SQLite store in a temp directory of its own,
/// with a fake clock and a recording publisher. <see cref="RestartAsync"/> simulates a new process.
/// </summary>
internal sealed class LogicHarness : IAsyncDisposable
{
    private readonly LogicOptions _options;

    public LogicHarness(LogicOptions? options = null, Func<ISessionStateStore, ISessionStateStore>? wrapStore = null)
    {
        _options = options ?? new LogicOptions();
        WrapStore = wrapStore ?? (store => store);
        Directory = Path.Combine(Path.GetTempPath(), "resonance-logic-tests", Guid.NewGuid().ToString("N"));
        Start();
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; } = new();

    public RecordingPublisher Publisher { get; } = new();

    public SqliteSessionStore Store { get; private set; } = null!;

    public SessionDirectory Sessions { get; private set; } = null!;

    public LocalSessionService Service { get; private set; } = null!;

    private Func<ISessionStateStore, ISessionStateStore> WrapStore { get; }

    public static SqliteSessionStore OpenStore(string directory) =>
        new(Options.Create(new StorageOptions { DataDirectory = directory }));

    /// <summary>Drops every in-memory head and reopens the database, as a new process would.</summary>
    public async Task RestartAsync()
    {
        await Store.DisposeAsync();
        Start();
    }

    public async Task<string> CreateGroupAsync(string creator, params string[] members)
    {
        var request = new CreateSessionRequest { Kind = SessionKinds.Group, Name = "team" };
        request.Members.AddRange(members);
        return (await Service.CreateSessionAsync(creator, request, CancellationToken.None)).SessionId;
    }

    public async Task<string> CreateDirectAsync(string creator, string peer)
    {
        var request = new CreateSessionRequest { Kind = SessionKinds.Direct, Members = { peer } };
        return (await Service.CreateSessionAsync(creator, request, CancellationToken.None)).SessionId;
    }

    public Task<SendAck> SendAsync(string sender, string sessionId, string clientMsgId, string content = "hello") =>
        Service.SendAsync(sender, new SendCommand { SessionId = sessionId, ClientMsgId = clientMsgId, Content = content }, CancellationToken.None);

    public Task<SyncResult> SyncAsync(string caller, string sessionId, long afterSeq = 0, int limit = 0) =>
        Service.SyncAsync(caller, new SyncCommand { SessionId = sessionId, AfterSeq = afterSeq, Limit = limit }, CancellationToken.None);

    public Task<ListSessionsResponse> ListAsync(string username, string afterSessionId = "", int limit = 0) =>
        Service.ListSessionsAsync(username, new ListSessionsRequest { AfterSessionId = afterSessionId, Limit = limit }, CancellationToken.None);

    public Task<SessionMembers> GetMembersAsync(string sessionId) => Service.GetMembersAsync(sessionId, CancellationToken.None);

    public Task<AddMembersResponse> AddMembersAsync(string caller, string sessionId, params string[] members) =>
        Service.AddMembersAsync(caller, sessionId, new AddMembersRequest { Members = { members } }, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void Start()
    {
        Store = OpenStore(Directory);
        var store = WrapStore(Store);
        Sessions = new SessionDirectory(store, Options.Create(_options), Time);
        var commands = new SessionCommands(Options.Create(_options), Time);
        Service = new LocalSessionService(Sessions, Store, commands, Publisher, new LogicMetrics(), Time, NullLogger<LocalSessionService>.Instance);
    }
}
