using System.Diagnostics;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// Times the engine path and the ceiling on the same batches, one after the other. Interleaving batch by batch exposes
/// both to the same load of a shared machine; alternating which goes first keeps either from always meeting the
/// caches in the same state; settling the heap first keeps the freshly generated rows' garbage off either clock.
/// </summary>
internal static class Interleaved
{
    public static async Task<(TimeSpan Engine, TimeSpan Ceiling)> RunAsync(
        IEnumerable<IReadOnlyList<object?[]>> batches,
        Func<IReadOnlyList<object?[]>, Task> engine,
        Func<IReadOnlyList<object?[]>, Task> ceiling,
        MemoryProbe? memory)
    {
        var engineTicks = 0L;
        var ceilingTicks = 0L;
        var index = 0;
        foreach (var batch in batches)
        {
            BenchmarkGc.Settle();
            if (index++ % 2 == 0)
            {
                ceilingTicks += await TimeAsync(() => ceiling(batch)).ConfigureAwait(false);
                engineTicks += await TimeAsync(() => engine(batch)).ConfigureAwait(false);
            }
            else
            {
                engineTicks += await TimeAsync(() => engine(batch)).ConfigureAwait(false);
                ceilingTicks += await TimeAsync(() => ceiling(batch)).ConfigureAwait(false);
            }

            memory?.Sample();
        }

        return (Stopwatch.GetElapsedTime(0, engineTicks), Stopwatch.GetElapsedTime(0, ceilingTicks));
    }

    private static async Task<long> TimeAsync(Func<Task> work)
    {
        var started = Stopwatch.GetTimestamp();
        await work().ConfigureAwait(false);
        return Stopwatch.GetTimestamp() - started;
    }
}
