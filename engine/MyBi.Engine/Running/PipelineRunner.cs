using System.Globalization;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
using MyBi.Engine.Retention;
using MyBi.Engine.Schema;
using MyBi.Engine.State;

namespace MyBi.Engine.Running;

/// <summary>
/// Runs one sync: source rows are normalized, batched and merged into the destination; connector state is
/// stored only after the rows it covers are committed, so a run killed at any moment resumes without gaps.
/// </summary>
public sealed class PipelineRunner
{
    private readonly TimeProvider _timeProvider;
    private readonly RunObserver _observer;

    /// <summary>Creates a runner.</summary>
    public PipelineRunner(TimeProvider? timeProvider = null, RunObserver? observer = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observer = observer ?? RunObserver.None;
    }

    /// <summary>Resolves the selected streams of a connector; unknown names are a configuration error.</summary>
    public static IReadOnlyList<CompiledStream> SelectStreams(SourceConnector connector, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(names);
        var all = connector.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var unknown = names.Where(n => !all.ContainsKey(n)).ToList();
        if (unknown.Count > 0)
        {
            throw MyBiException.Config(
                $"Connector '{connector.Name}' has no stream {string.Join(", ", unknown.Select(u => $"'{u}'"))}; it offers: {string.Join(", ", all.Keys)}.");
        }

        var selected = names.Count == 0 ? connector.Streams : names.Distinct(StringComparer.Ordinal).Select(n => all[n]);
        return selected.Select(StreamSchemaCompiler.Compile).ToList();
    }

    /// <summary>Runs the job. Failures throw after the run is recorded as failed.</summary>
    public async Task<RunResult> RunAsync(SyncJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        var streams = SelectStreams(job.Connector, job.Streams);
        if (job.BatchSize <= 0)
        {
            throw MyBiException.Config("sync.batch_size must be a positive number of rows.");
        }

        // A destination that is down or a plan that forbids the period fails before any API request; a source that
        // refuses (login, company access) fails before anything is created in the destination, so a wrong token
        // leaves no empty warehouse behind.
        var spec = new RunSpec { Pipeline = job.Pipeline, Plan = job.Plan, Redactor = job.Redactor, TimeProvider = _timeProvider, Observer = _observer };
        var run = await EngineRun.OpenAsync(destination, spec, cancellationToken).ConfigureAwait(false);
        var from = ClipToHorizon(job, run);
        await run.CheckPlanAsync(from, job.To, cancellationToken).ConfigureAwait(false);
        var context = new SourceContext
        {
            Config = job.SourceConfig,
            BaseDirectory = job.BaseDirectory,
            TimeProvider = _timeProvider,
            Observer = _observer,
            RateBudgets = Sources.ProcessRateBudgets.Shared,
        };
        await using var session = await job.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        var tables = new List<(TableSchema, TableOwner)>();
        foreach (var stream in streams)
        {
            var name = stream.Table.Name;
            tables.AddRange(job.Transforms.TryGetValue(name, out var transform)
                ? transform.Tables.Select(t => (t, TableOwner.Rule(job.Pipeline, "stream", name)))
                : [(stream.Table, TableOwner.Stream(job.Pipeline, name))]);
        }

        await run.StartAsync(tables, cancellationToken).ConfigureAwait(false);
        var buffers = new StreamBuffers(run.Writer, streams, job.Transforms, job.BatchSize, _timeProvider, job.MaxBatchBytes, overlapWrites: true);
        return await run.ExecuteAsync(
            async ct =>
            {
                // Views are (re)created before the read: they follow the tables' current shape, and a broken one
                // fails the run before any request is spent.
                var loaded = streams.Select(s => s.Table.Name).Where(n => !job.Transforms.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
                await run.EnsureViewsAsync(job.Connector.Views, job.Connector.Streams.Select(s => s.Name).ToHashSet(StringComparer.Ordinal), loaded, ct).ConfigureAwait(false);
                var horizon = new HorizonFilter(job.Horizon);
                try
                {
                    await ReadAsync(job, from, session, streams, run, buffers, horizon, ct).ConfigureAwait(false);
                }
                catch
                {
                    await buffers.SettleAsync().ConfigureAwait(false);
                    throw;
                }
                foreach (var (stream, dropped) in horizon.Dropped.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    run.Warn(string.Create(CultureInfo.InvariantCulture, $"Stream '{stream}': {dropped} row(s) dated before the retention horizon {job.Horizon} were not loaded."));
                }

                foreach (var (name, elapsed) in buffers.Elapsed)
                {
                    run.RecordTime(name, elapsed);
                }

                var setAside = SetAsideWarnings(buffers);
                setAside.ForEach(run.Warn);
                return setAside.Count > 0 ? string.Join(" ", setAside) : null;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static List<string> SetAsideWarnings(StreamBuffers buffers) =>
        buffers.SetAside.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(
                CultureInfo.InvariantCulture,
                $"Stream '{kv.Key}': {kv.Value.Count} row(s) with an unusable key were set aside in {EngineTables.Quarantine.Name} (first: {kv.Value.FirstReason})."))
            .ToList();

    /// <summary>
    /// The period's start, moved up to the retention horizon: rows before it are deleted by retention and must not
    /// come back. A period that ends before the horizon is refused; one that starts before it is clipped with a warning.
    /// </summary>
    internal static DateOnly? ClipToHorizon(SyncJob job, EngineRun run)
    {
        if (job.Horizon is not { } horizon || job.From is not { } from || from >= horizon.Day)
        {
            return job.From;
        }

        if (job.To is { } to && to < horizon.Day)
        {
            throw MyBiException.Config($"The period ends ({to:yyyy-MM-dd}) before the retention horizon ({horizon}): those rows are deleted by retention and are not loaded again.");
        }

        run.Warn($"The period starts ({from:yyyy-MM-dd}) before the retention horizon; it is loaded from {horizon} (retention keeps {horizon.Days} days).");
        return horizon.Day;
    }

    private static async Task ReadAsync(SyncJob job, DateOnly? from, SourceSession session, IReadOnlyList<CompiledStream> streams, EngineRun run, StreamBuffers buffers, HorizonFilter horizon, CancellationToken cancellationToken)
    {
        var state = await run.Store.LoadStateAsync(job.Pipeline, cancellationToken).ConfigureAwait(false);
        var byName = streams.ToDictionary(s => s.Table.Name, StringComparer.Ordinal);
        var request = new ReadRequest
        {
            Streams = streams.Select(s => s.Table.Name).ToList(),
            State = state,
            From = from,
            To = job.To,
            Horizon = job.Horizon?.Day,
            Filters = job.Filters,
        };

        await foreach (var message in session.ReadAsync(request, cancellationToken).ConfigureAwait(false))
        {
            switch (message)
            {
                case SourceRecord record:
                    if (!byName.TryGetValue(record.Stream, out var compiled))
                    {
                        throw MyBiException.System($"Connector '{job.Connector.Name}' returned rows of stream '{record.Stream}', which was not selected.");
                    }

                    if (horizon.Drops(compiled, record.Data))
                    {
                        break;
                    }

                    if (!await buffers.AddAsync(compiled, record.Data, cancellationToken, record.GroupContinues).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;
                case SourceCheckpoint checkpoint:
                    if (!await buffers.FlushAllAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    await run.CheckpointAsync(job.Pipeline, checkpoint.State, cancellationToken).ConfigureAwait(false);
                    break;
                case SourceWarning warning:
                    run.Warn(warning.Message);
                    break;
            }
        }

        await buffers.FlushAllAsync(cancellationToken).ConfigureAwait(false);
    }
}
