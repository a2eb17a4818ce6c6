using Microsoft.Extensions.Options;
using Resonance.Logic.Local;
using Resonance.Logic.Sessions;

namespace Resonance.DaprEngine.Tests.PortContracts;

/// <summary>The Local engine's SQLite session state held to the session state contract; a restart is a new store on the same directory.</summary>
public sealed class LocalSessionStateContractTests : SessionStateContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "resonance-state-contract-" + Guid.NewGuid().ToString("N"));
    private SqliteSessionStore _store = null!;

    public override Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    protected override Task RunAsync(string sessionId, Func<ISessionState, Task> scenario) => scenario(_store.Open(sessionId));

    protected override async Task ReopenAsync()
    {
        await _store.DisposeAsync();
        _store = Open();
    }

    private SqliteSessionStore Open() => new(Options.Create(new StorageOptions { DataDirectory = _directory }));
}
