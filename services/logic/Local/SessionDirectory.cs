using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Resonance.Contracts;
using Resonance.Contracts.V1;
using Resonance.Logic.Sessions;

namespace Resonance.Logic.Local;

/// <summary>
/// The sessions loaded in this process: each one's head and the turn that lets one command run
/// at a time (the role a Dapr actor's turn plays on the Dapr engine). Loaded from the store on
/// first use, missing ones too (they answer like sessions the caller is not in, at the same cost);
/// past <see cref="LogicOptions.MaxLoadedSessions"/> the least recently used idle ones are dropped
/// (their state is in the store).
/// </summary>
public sealed class SessionDirectory(ISessionStateStore store, IOptions<LogicOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SessionSlot>>> _slots = new(StringComparer.Ordinal);
    private readonly int _maxLoaded = options.Value.MaxLoadedSessions;
    private int _evicting;

    public int LoadedCount => _slots.Count;

    /// <summary>Runs <paramref name="command"/> holding the session's turn: no other command of that session runs meanwhile.</summary>
    public async Task<T> RunInTurnAsync<T>(string sessionId, Func<SessionSlot, Task<T>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var slot = await LeaseAsync(sessionId, cancellationToken);
        try
        {
            await slot.Turn.WaitAsync(cancellationToken);
            try
            {
                return await command(slot);
            }
            finally
            {
                slot.Turn.Release();
            }
        }
        finally
        {
            lock (slot)
            {
                slot.Leases--;
            }

            if (_slots.Count > _maxLoaded)
            {
                EvictIdle();
            }
        }
    }

    /// <summary>Who is in the session (task's fan-out asks); a missing session is not found.</summary>
    public async Task<SessionMembers> GetMembersAsync(string sessionId, CancellationToken cancellationToken) =>
        SessionCommands.MembersOf((await GetAsync(sessionId, cancellationToken)).Head ?? throw SessionCommands.SessionNotFound(sessionId));

    public async Task<SessionSlot> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        (await LookupAsync(sessionId, cancellationToken)).Slot;

    /// <summary>The session's slot, and whether it was loaded already (false: this lookup read the store).</summary>
    public async Task<(SessionSlot Slot, bool WasLoaded)> LookupAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!SessionIds.IsValid(sessionId))
        {
            throw new ResonanceException(ErrorCodes.InvalidArgument, "sessionId is not a valid session id");
        }

        var lazy = _slots.GetOrAdd(sessionId, id => new Lazy<Task<SessionSlot>>(() => LoadAsync(id)));
        var wasLoaded = lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully;
        SessionSlot slot;
        try
        {
            slot = await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _slots.TryRemove(KeyValuePair.Create(sessionId, lazy));
            throw;
        }

        // Reads load sessions too (a reconnect storm syncs everything): they count against the limit.
        if (_slots.Count > _maxLoaded)
        {
            EvictIdle();
        }

        return (slot, wasLoaded);
    }

    private async Task<SessionSlot> LeaseAsync(string sessionId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var slot = await GetAsync(sessionId, cancellationToken);
            lock (slot)
            {
                if (!slot.Evicted)
                {
                    slot.Leases++;
                    slot.LastUsed = time.GetTimestamp();
                    return slot;
                }
            }
        }
    }

    /// <summary>Drops the least recently used slots no command holds, down to nine tenths of the limit.</summary>
    private void EvictIdle()
    {
        if (Interlocked.Exchange(ref _evicting, 1) == 1)
        {
            return;
        }

        try
        {
            var idle = new List<(long LastUsed, string SessionId, Lazy<Task<SessionSlot>> Entry, SessionSlot Slot)>();
            foreach (var (sessionId, entry) in _slots)
            {
                if (entry.IsValueCreated && entry.Value.IsCompletedSuccessfully)
                {
                    idle.Add((entry.Value.Result.LastUsed, sessionId, entry, entry.Value.Result));
                }
            }

            idle.Sort((a, b) => a.LastUsed.CompareTo(b.LastUsed));
            var excess = _slots.Count - (_maxLoaded * 9 / 10);
            foreach (var (_, sessionId, entry, slot) in idle)
            {
                if (excess <= 0)
                {
                    break;
                }

                lock (slot)
                {
                    if (slot.Leases == 0 && _slots.TryRemove(KeyValuePair.Create(sessionId, entry)))
                    {
                        slot.Evicted = true;
                        excess--;
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }

    private async Task<SessionSlot> LoadAsync(string sessionId)
    {
        var state = store.Open(sessionId);
        return new SessionSlot(state, await state.LoadAsync(CancellationToken.None));
    }
}
