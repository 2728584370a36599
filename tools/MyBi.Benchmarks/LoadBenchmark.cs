using MyBi.Benchmarks.Internal;

namespace MyBi.Benchmarks;

/// <summary>
/// <c>mybi bench load</c>: generates record-shaped rows in memory (batch by batch, never all at once) and, in the
/// same run, measures the engine's load path and the raw driver ceiling over the same rows.
/// </summary>
public static class LoadBenchmark
{
    /// <summary>Runs the benchmark, writes a human-readable summary to <paramref name="output"/>, and returns the figures.</summary>
    public static async Task<BenchmarkReport> RunAsync(LoadBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        var run = options.Destination switch
        {
            BenchmarkDestination.ClickHouse => ClickHouseLoadBenchmark.RunAsync(options, output, cancellationToken),
            _ => PostgresLoadBenchmark.RunAsync(options, output, cancellationToken),
        };
        var report = await run.ConfigureAwait(false);
        await output.WriteLineAsync(
            $"  memory   peak working set {Megabytes(report.PeakWorkingSetBytes)}, peak managed heap {Megabytes(report.PeakManagedBytes)}, " +
            $"peak GC heap {Megabytes(report.PeakGcHeapBytes)}, allocated {Megabytes(report.AllocatedBytes)} ({report.AllocatedBytes / (double)report.Rows:N0} B per row for both paths)").ConfigureAwait(false);
        return report;
    }

    private static string Megabytes(long bytes) => $"{bytes / (1024.0 * 1024.0):N0} MB";
}
