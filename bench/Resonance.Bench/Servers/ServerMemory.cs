namespace Resonance.Bench.Servers;

/// <summary>
/// A server process's managed memory right after a full blocking, compacting collection, as the server
/// itself reports it: what its live objects hold, and what the GC has committed for them.
/// </summary>
/// <param name="LiveBytes"><see cref="GC.GetTotalMemory(bool)"/> after the collection.</param>
/// <param name="HeapSizeBytes"><see cref="GCMemoryInfo.HeapSizeBytes"/> of that collection.</param>
/// <param name="CommittedBytes"><see cref="GCMemoryInfo.TotalCommittedBytes"/> of that collection.</param>
internal sealed record ServerMemory(long LiveBytes, long HeapSizeBytes, long CommittedBytes)
{
    public static ServerMemory CollectNow()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new ServerMemory(GC.GetTotalMemory(forceFullCollection: false), info.HeapSizeBytes, info.TotalCommittedBytes);
    }
}
