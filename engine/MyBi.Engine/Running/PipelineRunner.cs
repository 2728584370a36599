using System.Globalization;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
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
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        var store = new RunStore(destination, job.Redactor);
        var plan = await PlanGuard.CreateAsync(job.Pipeline, job.From, job.To, job.Plan, store, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var context = new SourceContext
        {
            Config = job.SourceConfig,
            BaseDirectory = job.BaseDirectory,
            TimeProvider = _timeProvider,
            Observer = _observer,
            RateBudgets = Sources.ProcessRateBudgets.Shared,
        };
        await using var session = await job.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await store.EnsureAsync(cancellationToken).ConfigureAwait(false);
        var claims = new List<(string Table, TableOwner Owner)>();
        foreach (var stream in streams)
        {
            var name = stream.Table.Name;
            claims.AddRange(job.Transforms.TryGetValue(name, out var transform)
                ? transform.Tables.Select(t => (t.Name, TableOwner.Rule(job.Pipeline, "stream", name)))
                : [(name, TableOwner.Stream(job.Pipeline, name))]);
        }

        await store.ClaimTablesAsync(claims, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        foreach (var stream in streams)
        {
            var tables = job.Transforms.TryGetValue(stream.Table.Name, out var transform) ? transform.Tables : [stream.Table];
            foreach (var table in tables)
            {
                await destination.EnsureTableAsync(table, cancellationToken).ConfigureAwait(false);
            }
        }

        var run = new RunRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            Pipeline = job.Pipeline,
            Status = "running",
            StartedAt = _timeProvider.GetUtcNow(),
            PeriodFrom = job.From,
            PeriodTo = job.To,
        };
        await store.SaveRunAsync(run, cancellationToken).ConfigureAwait(false);

        var buffers = new StreamBuffers(destination, streams, job.Transforms, job.BatchSize, plan, _observer, _timeProvider, job.MaxBatchBytes) { RunId = run.RunId };
        var warnings = new List<string>();
        try
        {
            await ReadAsync(job, session, streams, store, run, buffers, warnings, cancellationToken).ConfigureAwait(false);
            var setAside = SetAsideWarnings(buffers);
            foreach (var warning in setAside)
            {
                warnings.Add(warning);
                _observer.OnWarning(warning);
            }

            var status = buffers.QuotaExhausted ? "quota_exhausted" : "succeeded";
            var message = buffers.QuotaExhausted ? plan.QuotaMessage : setAside.Count > 0 ? string.Join(" ", setAside) : null;
            await store.FinishAsync(run, status, message, buffers.Written, _timeProvider.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return new RunResult
            {
                RunId = run.RunId,
                Status = status,
                RowsByTable = new Dictionary<string, long>(buffers.Written),
                TimeByTable = new Dictionary<string, TimeSpan>(buffers.Elapsed),
                Warnings = warnings,
                Message = message,
            };
        }
        catch (Exception ex)
        {
            await store.TryFinishAsync(run, ex, buffers.Written, _timeProvider.GetUtcNow()).ConfigureAwait(false);
            throw;
        }
    }

    private static List<string> SetAsideWarnings(StreamBuffers buffers) =>
        buffers.SetAside.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(
                CultureInfo.InvariantCulture,
                $"Stream '{kv.Key}': {kv.Value.Count} row(s) with an unusable key were set aside in {EngineTables.Quarantine.Name} (first: {kv.Value.FirstReason})."))
            .ToList();

    private async Task ReadAsync(SyncJob job, SourceSession session, IReadOnlyList<CompiledStream> streams, RunStore store, RunRecord run, StreamBuffers buffers, List<string> warnings, CancellationToken cancellationToken)
    {
        var state = await store.LoadStateAsync(job.Pipeline, cancellationToken).ConfigureAwait(false);
        var byName = streams.ToDictionary(s => s.Table.Name, StringComparer.Ordinal);
        var request = new ReadRequest
        {
            Streams = streams.Select(s => s.Table.Name).ToList(),
            State = state,
            From = job.From,
            To = job.To,
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

                    await store.SaveStateAsync(job.Pipeline, checkpoint.State, run.RunId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                    await store.SaveRunTablesAsync(run, buffers.Written, cancellationToken).ConfigureAwait(false);
                    _observer.OnCheckpoint();
                    break;
                case SourceWarning warning:
                    warnings.Add(warning.Message);
                    _observer.OnWarning(warning.Message);
                    break;
            }
        }

        await buffers.FlushAllAsync(cancellationToken).ConfigureAwait(false);
    }
}
