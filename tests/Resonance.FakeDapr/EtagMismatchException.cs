namespace Resonance.FakeDapr;

/// <summary>A write named an etag that is not the stored one (daprd answers gRPC ABORTED, HTTP 409).</summary>
internal sealed class EtagMismatchException(string key) : Exception($"possible etag mismatch on key {key}");

/// <summary>A first-write save found the key there already (Redis: "failed to set key"; daprd answers gRPC INTERNAL).</summary>
internal sealed class FirstWriteConflictException(string key) : Exception($"failed to set key {key}");
