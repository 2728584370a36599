namespace MyBi.Benchmarks;

/// <summary>
/// The outcome of one load benchmark: the engine's load path and the raw driver ceiling over the same rows, in the
/// same run, plus the process's memory so runs of different sizes can be compared.
/// </summary>
public sealed record BenchmarkReport
{
    /// <summary>The destination measured.</summary>
    public required BenchmarkDestination Destination { get; init; }

    /// <summary>Where the rows went (host:port, database, schema; never a password).</summary>
    public required string Target { get; init; }

    /// <summary>Rows loaded by each path.</summary>
    public required long Rows { get; init; }

    /// <summary>Rows per engine batch.</summary>
    public required int BatchSize { get; init; }

    /// <summary>Time the engine's <c>WriteAsync</c> calls took (row generation excluded).</summary>
    public required TimeSpan EngineElapsed { get; init; }

    /// <summary>Time the raw driver load took (row generation excluded).</summary>
    public required TimeSpan CeilingElapsed { get; init; }

    /// <summary>
    /// Time the engine took to merge the same rows again, every key already in the table and every value unchanged
    /// (a lookback or reconciliation reload); PostgreSQL only.
    /// </summary>
    public TimeSpan? EngineIdenticalElapsed { get; init; }

    /// <summary>The raw COPY ceiling measured alongside <see cref="EngineIdenticalElapsed"/>, over the same rows.</summary>
    public TimeSpan? IdenticalCeilingElapsed { get; init; }

    /// <summary>Engine throughput when every merged row exists already unchanged, as a share of that pass's ceiling.</summary>
    public double? IdenticalRatio => EngineIdenticalElapsed is { } identical && IdenticalCeilingElapsed is { } ceiling ? ceiling / identical : null;

    /// <summary>
    /// Time the engine took to merge the same number of rows again, every key already in the table and every row
    /// changed; PostgreSQL only.
    /// </summary>
    public TimeSpan? EngineUpdateElapsed { get; init; }

    /// <summary>The raw COPY ceiling measured alongside <see cref="EngineUpdateElapsed"/>, over the same rows.</summary>
    public TimeSpan? UpdateCeilingElapsed { get; init; }

    /// <summary>Engine throughput when every merged key exists already, as a share of that pass's ceiling.</summary>
    public double? UpdateRatio => EngineUpdateElapsed is { } update && UpdateCeilingElapsed is { } ceiling ? ceiling / update : null;

    /// <summary>Engine throughput, merge included.</summary>
    public double EngineRowsPerSecond => Rows / EngineElapsed.TotalSeconds;

    /// <summary>Raw driver throughput.</summary>
    public double CeilingRowsPerSecond => Rows / CeilingElapsed.TotalSeconds;

    /// <summary>Engine throughput as a share of the ceiling (goal: at least 0.5 with the merge included).</summary>
    public double Ratio => EngineRowsPerSecond / CeilingRowsPerSecond;

    /// <summary>The part of <see cref="EngineElapsed"/> spent in binary COPY, into staging or straight into the table (PostgreSQL only).</summary>
    public TimeSpan? EngineCopyElapsed { get; init; }

    /// <summary>The part of <see cref="EngineElapsed"/> spent merging staging into the table (when needed) and committing (PostgreSQL only).</summary>
    public TimeSpan? EngineMergeElapsed { get; init; }

    /// <summary>Throughput of the engine's COPY step alone.</summary>
    public double? EngineCopyRowsPerSecond => EngineCopyElapsed is { } copy ? Rows / copy.TotalSeconds : null;

    /// <summary>The engine's COPY step as a share of the ceiling (goal: at least 0.8).</summary>
    public double? CopyRatio => EngineCopyRowsPerSecond / CeilingRowsPerSecond;

    /// <summary>The share of engine time spent in the merge step.</summary>
    public double? MergeShare => EngineMergeElapsed is { } merge ? merge / EngineElapsed : null;

    /// <summary>Rows found in the engine's table afterwards (equals <see cref="Rows"/>: every key once).</summary>
    public required long RowsInTable { get; init; }

    /// <summary>The process's peak working set (<see cref="System.Diagnostics.Process.PeakWorkingSet64"/>).</summary>
    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>The largest managed heap seen after a batch (<see cref="GC.GetTotalMemory(bool)"/>).</summary>
    public required long PeakManagedBytes { get; init; }

    /// <summary>The largest GC heap size seen after a batch (<see cref="GCMemoryInfo.HeapSizeBytes"/>).</summary>
    public required long PeakGcHeapBytes { get; init; }

    /// <summary>Bytes allocated during the run.</summary>
    public required long AllocatedBytes { get; init; }
}
