using System.Globalization;

namespace MyBi.Benchmarks;

/// <summary>The medians of one size of <c>mybi bench sync</c>: engine and ceiling over the same pages.</summary>
public sealed record SyncBenchmarkReport
{
    /// <summary>Which size: the last quarter of the days, or all of them.</summary>
    public required string Label { get; init; }

    /// <summary>Days synced.</summary>
    public required int Days { get; init; }

    /// <summary>Pages (HTTP requests answered with 200) one engine run made; the ceiling fetches the same.</summary>
    public required int Pages { get; init; }

    /// <summary>Rows the engine wrote (all selected streams).</summary>
    public required long EngineRows { get; init; }

    /// <summary>Wall time of the engine's sync (connect, read, normalize, write, state), median run.</summary>
    public required TimeSpan EngineElapsed { get; init; }

    /// <summary>Process CPU during the median engine run (the in-process sandbox included).</summary>
    public required TimeSpan EngineCpu { get; init; }

    /// <summary>Bytes the process allocated during the median engine run (the in-process sandbox included).</summary>
    public long EngineAllocatedBytes { get; init; }

    /// <summary>Garbage collections per generation during the median engine run (the in-process sandbox included).</summary>
    public GcCollections EngineCollections { get; init; }

    /// <summary>Garbage collections per generation during the median ceiling run.</summary>
    public GcCollections CeilingCollections { get; init; }

    /// <summary>Bytes the process allocated during the median ceiling run (the in-process sandbox included).</summary>
    public long CeilingAllocatedBytes { get; init; }

    /// <summary>Items in the <c>data</c> arrays of the pages the ceiling fetched.</summary>
    public required long CeilingItems { get; init; }

    /// <summary>Wall time of fetching and parsing the same pages, median run.</summary>
    public required TimeSpan CeilingElapsed { get; init; }

    /// <summary>Process CPU during the median ceiling run (the in-process sandbox included).</summary>
    public required TimeSpan CeilingCpu { get; init; }

    /// <summary>Managed heap just before an engine run (the sandbox's generated data included).</summary>
    public required long EngineBaselineManagedBytes { get; init; }

    /// <summary>Largest managed heap sampled during the engine runs.</summary>
    public required long EnginePeakManagedBytes { get; init; }

    /// <summary>Median managed heap sampled over the second half of the median engine run.</summary>
    public required long EngineSteadyManagedBytes { get; init; }

    /// <summary>
    /// Managed heap after a full collection just before the untimed engine run whose heap is sampled after full
    /// collections (the sandbox's generated data included).
    /// </summary>
    public long EngineLiveBaselineBytes { get; init; }

    /// <summary>Largest live heap (sampled after a full collection) during that untimed engine run.</summary>
    public long EngineLivePeakBytes { get; init; }

    /// <summary>The process's peak working set so far.</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>Engine rows per second.</summary>
    public double EngineRowsPerSecond => EngineRows / EngineElapsed.TotalSeconds;

    /// <summary>Ceiling items per second.</summary>
    public double CeilingItemsPerSecond => CeilingItems / CeilingElapsed.TotalSeconds;

    /// <summary>Engine speed as a share of the ceiling over the same pages (ceiling time / engine time; goal ≥ 0.5).</summary>
    public double Ratio => CeilingElapsed / EngineElapsed;

    /// <summary>Process CPU per engine row, in microseconds.</summary>
    public double EngineCpuMicrosecondsPerRow => EngineCpu.TotalMicroseconds / Math.Max(1, EngineRows);

    /// <summary>Process CPU per ceiling item, in microseconds.</summary>
    public double CeilingCpuMicrosecondsPerItem => CeilingCpu.TotalMicroseconds / Math.Max(1, CeilingItems);

    /// <summary>Peak managed heap of the engine runs above the baseline.</summary>
    public long EnginePeakManagedAboveBaseline => Math.Max(0, EnginePeakManagedBytes - EngineBaselineManagedBytes);

    /// <summary>Peak live heap of the untimed engine run above its baseline: what a run holds, garbage excluded.</summary>
    public long EngineLivePeakAboveBaseline => Math.Max(0, EngineLivePeakBytes - EngineLiveBaselineBytes);

    /// <summary>The figures as the command prints them.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"""
          {Label,-8} {Days} days, {Pages:N0} pages
            engine   {EngineRows:N0} rows in {EngineElapsed.TotalSeconds:0.00} s = {EngineRowsPerSecond:N0} rows/s, CPU {EngineCpuMicrosecondsPerRow:0.0} µs/row, allocated {EngineAllocatedBytes / 1024.0 / Math.Max(1, EngineRows):0.0} KB/row, GCs {EngineCollections}
            ceiling  {CeilingItems:N0} items in {CeilingElapsed.TotalSeconds:0.00} s = {CeilingItemsPerSecond:N0} items/s, CPU {CeilingCpuMicrosecondsPerItem:0.0} µs/item, allocated {CeilingAllocatedBytes / 1024.0 / Math.Max(1, CeilingItems):0.0} KB/item, GCs {CeilingCollections} (fetch + System.Text.Json parse, same pages)
            ratio    engine/ceiling {Ratio:0.00}×
            memory   managed heap baseline {Mb(EngineBaselineManagedBytes)}, peak {Mb(EnginePeakManagedBytes)}, steady {Mb(EngineSteadyManagedBytes)}; peak working set {Mb(PeakWorkingSetBytes)}
            live     heap after full collections (one more engine run, untimed): baseline {Mb(EngineLiveBaselineBytes)}, peak {Mb(EngineLivePeakBytes)} ({Mb(EngineLivePeakAboveBaseline)} above)
        """);

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):N0} MB");
}
