namespace Resonance.FakeDapr;

/// <summary>One save or delete of a state request, its key already prefixed.</summary>
internal sealed record StateWrite(string Key, byte[] Value, string? Etag, bool FirstWrite, bool Delete, long? TtlSeconds);
