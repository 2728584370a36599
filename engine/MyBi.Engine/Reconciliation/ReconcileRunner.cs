using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Normalization;
using MyBi.Engine.Running;
using MyBi.Engine.Schema;
using MyBi.Engine.State;

namespace MyBi.Engine.Reconciliation;

/// <summary>
/// Runs a reconciliation on the run lifecycle: the compared streams are read from the source for the period as a
/// sync of that period reads them (same requests, same rate limit, nothing stored), the warehouse is read company by
/// company for the same period, and every (table, company, local day) is compared by rows and measures. The findings
/// are journal entries. With reload, the differing days are read once more, loaded (rows the source no longer has
/// are marked deleted) and compared again against what was just read.
/// </summary>
public sealed class ReconcileRunner
{
    private readonly TimeProvider _timeProvider;
    private readonly RunObserver _observer;

    /// <summary>Creates a runner.</summary>
    public ReconcileRunner(TimeProvider? timeProvider = null, RunObserver? observer = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        _observer = observer ?? RunObserver.None;
    }

    /// <summary>
    /// A lower bound of the requests the comparison takes, found without asking the source: the warehouse's rows of
    /// the period per source listing (a child stream is read with its parent), in pages, plus a last page each. The
    /// connector's own plan (company checks, date windows) adds to it; the run reports what it spent.
    /// </summary>
    public static async Task<long> EstimateRequestsAsync(ReconcileJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        var streams = PipelineRunner.SelectStreams(job.Sync.Connector, job.Sync.Streams);
        var (from, to) = Period(job);
        RowCondition[] period = [new(ReconcileJob.DayColumn, ConditionOperator.GreaterOrEqual, from), new(ReconcileJob.DayColumn, ConditionOperator.LessOrEqual, to)];
        var requests = 0L;
        foreach (var listing in streams.GroupBy(s => s.Descriptor.Parent ?? s.Table.Name, StringComparer.Ordinal))
        {
            var lead = listing.FirstOrDefault(s => s.Table.Name == listing.Key) ?? listing.First();
            var rows = await destination.CountAsync(lead.Table, period, cancellationToken).ConfigureAwait(false);
            requests += (rows / Math.Max(1, job.PageSize)) + 1;
        }

        return requests;
    }

    /// <summary>Runs the job. Failures throw after the run is recorded as failed.</summary>
    public async Task<ReconcileResult> RunAsync(ReconcileJob job, Destination destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(destination);
        if (job.MaxNamedRows <= 0 || job.Sync.BatchSize <= 0)
        {
            throw MyBiException.Config("reconcile.max_named_rows and sync.batch_size must be positive numbers.");
        }

        var streams = PipelineRunner.SelectStreams(job.Sync.Connector, job.Sync.Streams);
        var digestTables = streams.Select(s => s.Table).ToList();
        _ = new SourceDigest(digestTables, job.MaxSourceRows); // A table without company, day or key fails here, before any request.
        var spec = new RunSpec { Pipeline = job.Sync.Pipeline, Kind = "reconcile", Plan = job.Sync.Plan, Redactor = job.Sync.Redactor, TimeProvider = _timeProvider, Observer = _observer };
        var run = await EngineRun.OpenAsync(destination, spec, cancellationToken).ConfigureAwait(false);
        var from = PipelineRunner.ClipToHorizon(job.Sync, run) ?? throw MyBiException.Config("A reconciliation needs a period.");
        var to = Period(job).To;
        await run.CheckPlanAsync(from, to, cancellationToken).ConfigureAwait(false);
        var requests = new RequestCounter(_observer);
        var context = new SourceContext
        {
            Config = job.Sync.SourceConfig,
            BaseDirectory = job.Sync.BaseDirectory,
            TimeProvider = _timeProvider,
            Observer = requests,
            RateBudgets = Sources.ProcessRateBudgets.Shared,
        };
        await using var session = await job.Sync.Connector.ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await run.StartAsync(streams.Select(s => (s.Table, TableOwner.Stream(job.Sync.Pipeline, s.Table.Name))).ToList(), createMissing: !job.DryRun, cancellationToken).ConfigureAwait(false);
        ReconcileResult? result = null;
        var ended = await run.ExecuteAsync(
            async ct =>
            {
                var state = await run.Store.LoadStateAsync(job.Sync.Pipeline, ct).ConfigureAwait(false);
                var digest = new SourceDigest(digestTables, job.MaxSourceRows);
                await ReadAsync(session, job, state, streams, from, to, (stream, _, row) => ValueTask.FromResult(digest.Add(stream.Table.Name, row)), ct).ConfigureAwait(false);
                var comparer = new DayComparer(destination, job.MaxNamedRows);
                var differences = new List<DayDifference>();
                var extras = new Dictionary<string, Dictionary<(long Company, DateOnly Day), HashSet<string>>>(StringComparer.Ordinal);
                var compared = 0L;
                foreach (var table in digest.Tables)
                {
                    var outcome = await comparer.CompareAsync(table, from, to, null, ct).ConfigureAwait(false);
                    compared += outcome.DaysCompared;
                    differences.AddRange(outcome.Differences);
                    extras[table.Table.Name] = outcome.Extras;
                }

                var comparedWith = requests.Requests;
                await JournalFindingsAsync(run, job, differences, ct).ConfigureAwait(false);
                var summary = ReconcileResult.Describe(from, to, comparedWith, compared, differences, null, 0);
                await run.JournalAsync(JournalKinds.Reconcile, differences.Count == 0 ? JournalLevel.Info : JournalLevel.Warning, summary, new JsonObject
                {
                    ["phase"] = "compare",
                    ["dry_run"] = job.DryRun,
                    ["period_from"] = Day(from),
                    ["period_to"] = Day(to),
                    ["requests"] = comparedWith,
                    ["days_compared"] = compared,
                    ["days_differing"] = differences.Count,
                }, ct).ConfigureAwait(false);
                result = new ReconcileResult { RunId = run.RunId, Status = RunStatus.Running, DryRun = job.DryRun, From = from, To = to, Requests = comparedWith, DaysCompared = compared, Differences = differences };
                if (job.DryRun || !job.Reload || differences.Count == 0)
                {
                    return summary;
                }

                var after = await ReloadAsync(run, session, job, state, streams, differences, extras, destination, ct).ConfigureAwait(false);
                result = new ReconcileResult
                {
                    RunId = run.RunId,
                    Status = RunStatus.Running,
                    DryRun = false,
                    From = from,
                    To = to,
                    Requests = comparedWith,
                    DaysCompared = compared,
                    Differences = differences,
                    Reloaded = differences,
                    ReloadRequests = requests.Requests - comparedWith,
                    AfterReload = after,
                };
                summary = result.Summary;
                await run.JournalAsync(JournalKinds.Reconcile, after.Count == 0 ? JournalLevel.Info : JournalLevel.Warning, summary, new JsonObject
                {
                    ["phase"] = "reload",
                    ["requests"] = result.ReloadRequests,
                    ["reloaded"] = new JsonArray(differences.Select(d => (JsonNode)new JsonObject { ["table"] = d.Table, ["company_id"] = d.CompanyId, ["day"] = Day(d.Day) }).ToArray()),
                    ["second_check"] = after.Count == 0 ? "matched" : "differs",
                    ["still_differing"] = new JsonArray(after.Select(d => (JsonNode)DayJson(d)).ToArray()),
                }, ct).ConfigureAwait(false);
                return summary;
            },
            cancellationToken).ConfigureAwait(false);

        return new ReconcileResult
        {
            RunId = ended.RunId,
            Status = ended.Status,
            DryRun = result!.DryRun,
            From = result.From,
            To = result.To,
            Requests = result.Requests,
            DaysCompared = result.DaysCompared,
            Differences = result.Differences,
            Reloaded = result.Reloaded,
            ReloadRequests = result.ReloadRequests,
            AfterReload = result.AfterReload,
        };
    }

    private static (DateOnly From, DateOnly To) Period(ReconcileJob job) =>
        job.Sync.From is { } from && job.Sync.To is { } to
            ? (from, to)
            : throw MyBiException.Config("A reconciliation needs a period: both ends of it.");

    /// <summary>
    /// Reads the period of the streams as the sync would, handing each row of the period (normalized) to
    /// <paramref name="onRow"/>; checkpoints are not stored, as nothing is loaded from this read.
    /// </summary>
    private static async Task ReadAsync(
        SourceSession session, ReconcileJob job, JsonObject? state, IReadOnlyList<CompiledStream> streams, DateOnly from, DateOnly to,
        Func<CompiledStream, JsonObject, object?[], ValueTask<bool>> onRow, CancellationToken cancellationToken)
    {
        var byName = streams.ToDictionary(s => s.Table.Name, StringComparer.Ordinal);
        var request = new ReadRequest
        {
            Streams = streams.Select(s => s.Table.Name).ToList(),
            State = state,
            From = from,
            To = to,
            Horizon = job.Sync.Horizon?.Day,
            Filters = job.Sync.Filters,
        };
        await foreach (var message in session.ReadAsync(request, cancellationToken).ConfigureAwait(false))
        {
            if (message is not SourceRecord record || !byName.TryGetValue(record.Stream, out var stream) || RecordNormalizer.KeyProblem(stream, record.Data) is not null)
            {
                // A row without a usable key never reaches a table (a sync sets it aside), so it has nothing to match.
                continue;
            }

            var row = RecordNormalizer.Normalize(stream, record.Data);
            if (row[stream.Table.IndexOf(ReconcileJob.DayColumn)] is DateOnly day && day >= from && day <= to)
            {
                await onRow(stream, record.Data, row).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Loads the differing days again: their rows are read once more and merged as a sync merges them, the rows only
    /// the warehouse has are marked deleted, and the days are compared with what was read. Returns what still differs.
    /// </summary>
    private async Task<List<DayDifference>> ReloadAsync(
        EngineRun run,
        SourceSession session,
        ReconcileJob job,
        JsonObject? state,
        IReadOnlyList<CompiledStream> streams,
        List<DayDifference> differences,
        Dictionary<string, Dictionary<(long Company, DateOnly Day), HashSet<string>>> extras,
        Destination destination,
        CancellationToken cancellationToken)
    {
        var days = differences.GroupBy(d => d.Table, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(d => (d.CompanyId, d.Day)).ToHashSet(), StringComparer.Ordinal);
        var reloaded = streams.Where(s => days.ContainsKey(s.Table.Name)).ToList();
        var digest = new SourceDigest(reloaded.Select(s => s.Table), job.MaxSourceRows);
        var buffers = new StreamBuffers(run.Writer, reloaded, new Dictionary<string, IRowTransform>(), job.Sync.BatchSize, _timeProvider, job.Sync.MaxBatchBytes);
        var from = differences.Min(d => d.Day);
        var to = differences.Max(d => d.Day);
        await ReadAsync(
            session,
            job,
            state,
            reloaded,
            from,
            to,
            async (stream, data, row) =>
            {
                var table = digest[stream.Table.Name];
                if (table.Where(row) is not { } at || !days[stream.Table.Name].Contains(at))
                {
                    return false;
                }

                digest.Add(stream.Table.Name, row);
                return await buffers.AddAsync(stream, data, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await buffers.FlushAllAsync(cancellationToken).ConfigureAwait(false);
        foreach (var stream in reloaded)
        {
            await MarkGoneAsync(run, destination, digest[stream.Table.Name], extras[stream.Table.Name], job.Sync.BatchSize, cancellationToken).ConfigureAwait(false);
        }

        var comparer = new DayComparer(destination, job.MaxNamedRows);
        var after = new List<DayDifference>();
        foreach (var stream in reloaded)
        {
            var outcome = await comparer.CompareAsync(digest[stream.Table.Name], from, to, days[stream.Table.Name], cancellationToken).ConfigureAwait(false);
            after.AddRange(outcome.Differences);
        }

        return after;
    }

    /// <summary>Marks deleted the rows of the reloaded days that only the warehouse has, as a deletion at the source would.</summary>
    private static async Task MarkGoneAsync(EngineRun run, Destination destination, TableDigest table, Dictionary<(long Company, DateOnly Day), HashSet<string>> extras, int batchSize, CancellationToken cancellationToken)
    {
        var batch = new List<object?[]>();
        foreach (var ((company, day), keys) in extras)
        {
            RowCondition[] conditions = [new(ReconcileJob.CompanyColumn, ConditionOperator.Equal, company), new(ReconcileJob.DayColumn, ConditionOperator.Equal, day)];
            await foreach (var row in destination.ReadRowsAsync(table.Table, conditions, cancellationToken).ConfigureAwait(false))
            {
                if (!keys.Contains(table.Key(row)) || !table.MarkDeleted(row))
                {
                    continue;
                }

                batch.Add(row);
                if (batch.Count >= batchSize)
                {
                    await run.Writer.WriteAsync(new RecordBatch(table.Table, batch.ToList()), cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }

        if (batch.Count > 0)
        {
            await run.Writer.WriteAsync(new RecordBatch(table.Table, batch), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One journal entry per differing day (up to the job's cap) and one that counts the days left out.</summary>
    private static async Task JournalFindingsAsync(EngineRun run, ReconcileJob job, List<DayDifference> differences, CancellationToken cancellationToken)
    {
        foreach (var day in differences.Take(job.MaxJournalDays))
        {
            var message = string.Create(
                CultureInfo.InvariantCulture,
                $"{day.Table} company {day.CompanyId} {Day(day.Day)}: {day.Missing} missing, {day.Extra} extra, {day.Changed} changed (warehouse {day.WarehouseRows} row(s), source {day.SourceRows})");
            await run.JournalAsync(JournalKinds.Reconcile, JournalLevel.Warning, message, DayJson(day), cancellationToken).ConfigureAwait(false);
        }

        if (differences.Count > job.MaxJournalDays)
        {
            await run.JournalAsync(
                JournalKinds.Reconcile,
                JournalLevel.Warning,
                string.Create(CultureInfo.InvariantCulture, $"{differences.Count - job.MaxJournalDays} more differing day(s) are not listed"),
                new JsonObject { ["more_days"] = differences.Count - job.MaxJournalDays },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static JsonObject DayJson(DayDifference day) => new()
    {
        ["table"] = day.Table,
        ["company_id"] = day.CompanyId,
        ["day"] = Day(day.Day),
        ["warehouse_rows"] = day.WarehouseRows,
        ["source_rows"] = day.SourceRows,
        ["missing"] = day.Missing,
        ["extra"] = day.Extra,
        ["changed"] = day.Changed,
        ["rows"] = new JsonArray(day.Rows.Select(r => (JsonNode)new JsonObject
        {
            ["key"] = r.Key,
            ["kind"] = r.Kind,
            ["field"] = r.Field,
            ["warehouse"] = FindingValues.Json(r.WarehouseValue),
            ["source"] = FindingValues.Json(r.SourceValue),
            ["fields"] = new JsonArray(r.Fields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
        }).ToArray()),
        ["more_rows"] = day.Unnamed,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Counts the source's requests (retries included) and passes progress on to the run's observer.</summary>
    private sealed class RequestCounter(SourceObserver inner) : SourceObserver
    {
        private long _requests;

        public long Requests => Interlocked.Read(ref _requests);

        public override void OnPage(string stream, int rows) => inner.OnPage(stream, rows);

        public override void OnRequest(string stream)
        {
            Interlocked.Increment(ref _requests);
            inner.OnRequest(stream);
        }
    }
}
