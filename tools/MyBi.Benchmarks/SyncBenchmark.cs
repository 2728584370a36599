using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Benchmarks.Internal;
using MyBi.Connectors.YClients.Sandbox;

namespace MyBi.Benchmarks;

/// <summary>
/// <c>mybi bench sync</c>: an end-to-end sync from the sandbox (in this process, on loopback, no rate limit) into
/// DuckDB, against the ceiling of fetching the same pages with the same HTTP settings and parsing them with
/// System.Text.Json, without the engine. Two sizes (the last quarter of the days, then all of them) show whether
/// memory grows with the rows; each size runs <see cref="SyncBenchmarkOptions.Rounds"/> alternating rounds and
/// reports the median.
/// </summary>
public static class SyncBenchmark
{
    /// <summary>Runs the benchmark, writes the figures to <paramref name="output"/>, and returns them.</summary>
    public static async Task<IReadOnlyList<SyncBenchmarkReport>> RunAsync(SyncBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        var today = DateOnly.FromDateTime(options.TimeProvider.GetUtcNow().UtcDateTime);
        await using var server = await SandboxServer.StartAsync(
            new SandboxOptions
            {
                Seed = options.Seed,
                Companies = options.Companies,
                DaysBack = options.Days,
                DaysForward = 0,
                RecordsPerDay = options.RecordsPerDay,
                RateLimitEnabled = false,
                MaxPageSize = SyncCeiling.PageSize,
                RecordAnsweredTargets = true,
                Today = today,
                TimeProvider = options.TimeProvider,
                Port = 0,
            },
            cancellationToken).ConfigureAwait(false);
        var work = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "mybi-bench-sync-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var engine = new SyncEngineRun(options, server, work);
            var ceiling = new SyncCeiling(server.BaseUrl);
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"Sync benchmark: sandbox {server.BaseUrl} ({options.Companies} companies × {options.Days} days × {options.RecordsPerDay} records/day, no rate limit) -> DuckDB; streams {string.Join(", ", options.Streams)}; {options.Rounds} round(s) per size, median")).ConfigureAwait(false);

            // Both paths once over a few days, so neither pays for connections, JIT compilation or DuckDB's start.
            var warmUp = new SyncPeriod(today.AddDays(-Math.Min(7, options.Days)), today);
            await WarmUp.RunAsync(
                async () =>
                {
                    var run = await engine.RunAsync(warmUp, memory: null, cancellationToken).ConfigureAwait(false);
                    await ceiling.RunAsync(run.Targets, cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);

            var reports = new List<SyncBenchmarkReport>();
            foreach (var (label, days) in new[] { ("quarter", Math.Max(1, options.Days / 4)), ("full", options.Days) })
            {
                var report = await MeasureAsync(engine, ceiling, new SyncPeriod(today.AddDays(-days), today), label, options.Rounds, cancellationToken).ConfigureAwait(false);
                reports.Add(report);
                await output.WriteLineAsync(report.Describe()).ConfigureAwait(false);
            }

            var small = reports[0];
            var large = reports[^1];
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"  memory   engine live heap above the idle baseline: {Mb(small.EngineLivePeakAboveBaseline)} peak at {small.EngineRows:N0} rows, {Mb(large.EngineLivePeakAboveBaseline)} peak at {large.EngineRows:N0} rows ({large.EngineRows / (double)Math.Max(1, small.EngineRows):0.0}× the rows); managed heap with uncollected garbage: {Mb(small.EnginePeakManagedAboveBaseline)} and {Mb(large.EnginePeakManagedAboveBaseline)} peak")).ConfigureAwait(false);
            return reports;
        }
        finally
        {
            TryDelete(work, options.WorkDirectory is null);
        }
    }

    private static async Task<SyncBenchmarkReport> MeasureAsync(SyncEngineRun engine, SyncCeiling ceiling, SyncPeriod period, string label, int rounds, CancellationToken cancellationToken)
    {
        var engineRuns = new List<SyncEngineResult>();
        var ceilingRuns = new List<SyncCeilingResult>();
        IReadOnlyList<string>? targets = null;
        for (var round = 0; round < rounds; round++)
        {
            // The ceiling fetches the pages the engine asked for; from the second round on it may go first, so
            // neither path always meets the machine (and the sandbox's caches) in the same state.
            if (round % 2 == 1 && targets is not null)
            {
                ceilingRuns.Add(await ceiling.RunAsync(targets, cancellationToken).ConfigureAwait(false));
                engineRuns.Add(await engine.RunAsync(period, MemorySampler.Heap(), cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var run = await engine.RunAsync(period, MemorySampler.Heap(), cancellationToken).ConfigureAwait(false);
                engineRuns.Add(run);
                targets = run.Targets;
                ceilingRuns.Add(await ceiling.RunAsync(targets, cancellationToken).ConfigureAwait(false));
            }
        }

        // One more engine run, not timed, whose heap is sampled after full collections: what the run still holds.
        var live = await engine.RunAsync(period, MemorySampler.Live(), cancellationToken).ConfigureAwait(false);

        var engineMedian = engineRuns.OrderBy(r => r.Elapsed).ElementAt(engineRuns.Count / 2);
        var ceilingMedian = ceilingRuns.OrderBy(r => r.Elapsed).ElementAt(ceilingRuns.Count / 2);
        return new SyncBenchmarkReport
        {
            Label = label,
            Days = period.To.DayNumber - period.From.DayNumber,
            Pages = targets?.Count ?? 0,
            EngineRows = engineMedian.Rows,
            EngineElapsed = engineMedian.Elapsed,
            EngineCpu = engineMedian.Cpu,
            EngineAllocatedBytes = engineMedian.AllocatedBytes,
            EngineCollections = engineMedian.Collections,
            CeilingCollections = ceilingMedian.Collections,
            CeilingItems = ceilingMedian.Items,
            CeilingElapsed = ceilingMedian.Elapsed,
            CeilingCpu = ceilingMedian.Cpu,
            CeilingAllocatedBytes = ceilingMedian.AllocatedBytes,
            EngineBaselineManagedBytes = engineRuns.Max(r => r.BaselineManagedBytes),
            EnginePeakManagedBytes = engineRuns.Max(r => r.PeakManagedBytes),
            EngineSteadyManagedBytes = engineMedian.SteadyManagedBytes,
            EngineLiveBaselineBytes = live.BaselineManagedBytes,
            EngineLivePeakBytes = live.PeakManagedBytes,
            PeakWorkingSetBytes = MemoryProbe.PeakWorkingSetBytes(),
        };
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):N0} MB");

    private static void TryDelete(string folder, bool wholeFolder)
    {
        try
        {
            if (wholeFolder && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing a finished benchmark for.
        }
    }
}

/// <summary>A period synced by the benchmark (both ends inclusive).</summary>
internal sealed record SyncPeriod(DateOnly From, DateOnly To);

/// <summary>One engine sync into a fresh DuckDB file, timed, with the pages it asked for.</summary>
internal sealed record SyncEngineResult(long Rows, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, IReadOnlyList<string> Targets, long BaselineManagedBytes, long PeakManagedBytes, long SteadyManagedBytes, GcCollections Collections);

/// <summary>One fetch-and-parse pass over the same pages, timed.</summary>
internal sealed record SyncCeilingResult(long Items, TimeSpan Elapsed, TimeSpan Cpu, long AllocatedBytes, GcCollections Collections);

/// <summary>Process CPU time, for CPU per row (the sandbox runs in this process: both paths include its share).</summary>
internal static class ProcessCpu
{
    public static TimeSpan Now()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
