using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Running;
using MyBi.Engine.State;

namespace MyBi.Engine.Retention;

/// <summary>
/// Runs retention on the run lifecycle: the tables are checked against their owners (a table the pipeline's streams
/// do not own fails the run before anything is deleted), every table's stale rows are counted, then deleted in
/// bounded batches, children before their parents, so a stop at any moment leaves no line without its record.
/// </summary>
public sealed class RetentionRunner
{
    // Enough batches for every counted row plus a century of monthly batches; a destination that keeps reporting
    // deleted rows past that is not deleting what it reports.
    private const long SpareBatches = 1200;

    private readonly TimeProvider _timeProvider;
    private readonly RunObserver _observer;

    /// <summary>Creates a runner.</summary>
    public RetentionRunner(TimeProvider? timeProvider = null, RunObserver? observer = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observer = observer ?? RunObserver.None;
    }

    /// <summary>Runs the job. Failures throw after the run is recorded as failed.</summary>
    public async Task<RetentionResult> RunAsync(RetentionJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        if (job.BatchSize <= 0)
        {
            throw MyBiException.Config("The retention batch size must be a positive number of rows.");
        }

        var horizon = RetentionHorizon.At(job.Days, _timeProvider.GetUtcNow());
        var spec = new RunSpec { Pipeline = job.Pipeline, Kind = "retention", Redactor = job.Redactor, TimeProvider = _timeProvider, Observer = _observer };
        var run = await EngineRun.OpenAsync(destination, spec, cancellationToken).ConfigureAwait(false);

        // Existing tables are brought up to date (an older table gains _loaded_at); missing ones are not created.
        await run.StartAsync(job.Tables.Select(t => (t.Table, TableOwner.Stream(job.Pipeline, t.Stream))).ToList(), createMissing: false, cancellationToken).ConfigureAwait(false);
        var counts = new List<RetentionTableResult>(job.Tables.Count);
        var ended = await run.ExecuteAsync(
            async ct =>
            {
                foreach (var target in job.Tables)
                {
                    counts.Add(await CleanAsync(destination, target, horizon, job, ct).ConfigureAwait(false));
                }

                // The counts per table are a journal entry of their own, so a BI tool can query what went when.
                var summary = RetentionResult.Describe(job.DryRun, horizon, counts);
                var details = new JsonObject
                {
                    ["dry_run"] = job.DryRun,
                    ["horizon"] = horizon.ToString(),
                    ["tables"] = new JsonArray(counts.Select(c => (JsonNode)new JsonObject
                    {
                        ["table"] = c.Table,
                        ["dated_by"] = c.DateColumn,
                        ["would_delete"] = c.WouldDelete,
                        ["deleted"] = c.Deleted,
                    }).ToArray()),
                };
                await run.JournalAsync(JournalKinds.Retention, JournalLevel.Info, summary, details, ct).ConfigureAwait(false);
                return summary;
            },
            cancellationToken).ConfigureAwait(false);

        // The typed counts for the caller; the journal entry above carries the same counts for readers of the warehouse.
        return new RetentionResult { RunId = ended.RunId, Status = ended.Status, DryRun = job.DryRun, Horizon = horizon, Tables = counts };
    }

    private static async Task<RetentionTableResult> CleanAsync(Destination destination, RetentionTarget target, RetentionHorizon horizon, RetentionJob job, CancellationToken cancellationToken)
    {
        var index = target.Table.IndexOf(target.DateColumn);
        if (index < 0)
        {
            throw MyBiException.System($"Table '{target.Table.Name}' has no column '{target.DateColumn}' to date its rows by.");
        }

        var cutoff = horizon.CutoffFor(target.Table.Columns[index].Type);
        var stale = await destination.CountAsync(target.Table, [new RowCondition(target.DateColumn, ConditionOperator.Less, cutoff)], cancellationToken).ConfigureAwait(false);
        if (job.DryRun || stale == 0)
        {
            return new RetentionTableResult(target.Table.Name, target.DateColumn, stale, 0);
        }

        var deleted = 0L;
        var batches = 0L;
        var allowed = (stale / job.BatchSize) + SpareBatches;
        while (true)
        {
            var batch = await destination.DeleteBatchAsync(target.Table, target.DateColumn, cutoff, job.BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch <= 0)
            {
                break;
            }

            deleted += batch;
            if (++batches > allowed)
            {
                throw MyBiException.System(
                    $"{destination.DisplayName} kept reporting deleted rows of table '{target.Table.Name}' after {batches} batches ({deleted} rows, {stale} counted); retention stopped.");
            }
        }

        return new RetentionTableResult(target.Table.Name, target.DateColumn, stale, deleted);
    }
}
