using System.Diagnostics;

namespace MyBi.Benchmarks.Internal;

/// <summary>Tracks the process's memory across a run: sampled after each batch, peaks kept.</summary>
internal sealed class MemoryProbe
{
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);

    public long PeakManagedBytes { get; private set; }

    public long PeakGcHeapBytes { get; private set; }

    public long AllocatedBytes => GC.GetTotalAllocatedBytes(precise: true) - _allocatedAtStart;

    public void Sample()
    {
        PeakManagedBytes = Math.Max(PeakManagedBytes, GC.GetTotalMemory(forceFullCollection: false));
        PeakGcHeapBytes = Math.Max(PeakGcHeapBytes, GC.GetGCMemoryInfo().HeapSizeBytes);
    }

    public static long PeakWorkingSetBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
