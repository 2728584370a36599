using System.Globalization;

namespace MyBi.Benchmarks;

/// <summary>
/// Garbage collections per generation. Allocation alone does not say what memory costs: rows that live until their
/// batch is written survive into the older generations, whose collections also walk everything else on the heap.
/// The time the process spent paused for them is given too: a sampling profiler sees none of it.
/// </summary>
public readonly record struct GcCollections(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
{
    /// <summary>The process's counts so far.</summary>
    public static GcCollections Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    /// <summary>The collections between two readings.</summary>
    public static GcCollections operator -(GcCollections after, GcCollections before) =>
        new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gen0}/{Gen1}/{Gen2} (gen0/1/2), paused {Paused.TotalMilliseconds:N0} ms");
}
