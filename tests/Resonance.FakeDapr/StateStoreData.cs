using System.Globalization;

namespace Resonance.FakeDapr;

/// <summary>
/// One store's entries, with the semantics daprd exposes (as Redis-backed stores answer): an etag is a
/// version that changes on every write; a write or delete that names an etag which does not match the
/// stored one, or names one for a missing key, is an etag mismatch; a first-write save without an etag
/// succeeds only while the key is missing, and fails otherwise as Redis fails it: not as an etag mismatch
/// but a plain error ("failed to set key", components-contrib state/redis/redis.go), which daprd answers
/// INTERNAL (dapr/dapr pkg/api/grpc, getStateErrorCode); <c>ttlInSeconds</c> metadata makes the entry expire.
/// </summary>
internal sealed class StateStoreData(FakeStateStore store, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _version;

    public FakeStateStore Store { get; } = store;

    public string KeyOf(string appId, string key) => Store.KeyPrefix switch
    {
        KeyPrefix.AppId => $"{appId}||{key}",
        KeyPrefix.Name => $"{Store.Name}||{key}",
        _ => key,
    };

    public (byte[] Value, string Etag)? Get(string storedKey)
    {
        lock (_gate)
        {
            return Live(storedKey) is { } entry ? (entry.Value, entry.Version.ToString(CultureInfo.InvariantCulture)) : null;
        }
    }

    public IReadOnlyDictionary<string, byte[]> Snapshot()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _entries.Where(e => e.Value.ExpiresAt is null || e.Value.ExpiresAt > now).ToDictionary(e => e.Key, e => e.Value.Value, StringComparer.Ordinal);
        }
    }

    /// <summary>Applies every write or none: each checked first, then all made.</summary>
    public void Apply(IReadOnlyList<StateWrite> writes)
    {
        lock (_gate)
        {
            foreach (var write in writes)
            {
                Check(write);
            }

            foreach (var write in writes)
            {
                if (write.Delete)
                {
                    _entries.Remove(write.Key);
                    continue;
                }

                DateTimeOffset? expires = write.TtlSeconds is { } ttl && ttl > 0 ? time.GetUtcNow().AddSeconds(ttl) : null;
                _entries[write.Key] = new Entry(write.Value, ++_version, expires);
            }
        }
    }

    private void Check(StateWrite write)
    {
        var current = Live(write.Key);
        if (!string.IsNullOrEmpty(write.Etag))
        {
            if (current is null || current.Version.ToString(CultureInfo.InvariantCulture) != write.Etag)
            {
                throw new EtagMismatchException(write.Key);
            }
        }
        else if (write.FirstWrite && !write.Delete && current is not null)
        {
            throw new FirstWriteConflictException(write.Key);
        }
    }

    private Entry? Live(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            _entries.Remove(key);
            return null;
        }

        return entry;
    }

    private sealed record Entry(byte[] Value, long Version, DateTimeOffset? ExpiresAt);
}
