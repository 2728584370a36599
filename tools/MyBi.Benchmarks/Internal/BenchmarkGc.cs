namespace MyBi.Benchmarks.Internal;

/// <summary>Settles the heap between measured slices, outside any clock.</summary>
internal static class BenchmarkGc
{
    public static void Settle()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        GC.WaitForPendingFinalizers();
    }
}
