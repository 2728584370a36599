using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Metrics;
using MyBi.Engine.State;
using MyBi.Engine.Views;

namespace MyBi.Engine.Running;

/// <summary>
/// One run of any stage that writes rows, from its record in <c>_mybi_runs</c> to how it ended. The steps, in order:
/// <see cref="OpenAsync"/> (the destination answers), <see cref="CheckPlanAsync"/> (the period and the month's quota,
/// before any request to the source), <see cref="StartAsync"/> (the tables are claimed and created, the run is
/// recorded as running), then <see cref="ExecuteAsync"/> with the work: rows go through <see cref="Writer"/>, state
/// through <see cref="CheckpointAsync"/>. The run ends succeeded, quota_exhausted, failed or cancelled.
/// </summary>
public sealed class EngineRun
{
    private readonly Destination _destination;
    private readonly RunSpec _spec;
    private readonly List<string> _warnings = [];
    private readonly List<JournalEntry> _pendingJournal = [];
    private readonly Dictionary<string, TimeSpan> _times = new(StringComparer.Ordinal);
    private PlanGuard? _plan;
    private DateOnly? _from;
    private DateOnly? _to;
    private RunRecord? _record;
    private BatchWriter? _writer;

    private EngineRun(Destination destination, RunSpec spec)
    {
        _destination = destination;
        _spec = spec;
        Store = new RunStore(destination, spec.Redactor);
    }

    /// <summary>The run id, as stored in <c>_mybi_runs</c> and in the rows the run writes.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The engine tables of the destination (state of earlier runs, for instance).</summary>
    public RunStore Store { get; }

    /// <summary>Writes the run's rows; available once the run has started.</summary>
    public BatchWriter Writer => _writer ?? throw new InvalidOperationException("A run writes rows only after StartAsync.");

    /// <summary>Warnings reported so far.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Checks that the destination answers; nothing is written yet.</summary>
    public static async Task<EngineRun> OpenAsync(Destination destination, RunSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(spec);
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        return new EngineRun(destination, spec);
    }

    /// <summary>
    /// Holds the period to the plan's history depth and reads what is left of the month's quota; a Config error
    /// when either refuses. <see cref="StartAsync"/> checks without a period when this was not called.
    /// </summary>
    public async ValueTask CheckPlanAsync(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        _plan = await PlanGuard.CreateAsync(_spec.Pipeline, from, to, _spec.Plan, Store, Now, cancellationToken).ConfigureAwait(false);
        (_from, _to) = (from, to);
    }

    /// <summary>
    /// Claims the tables for their owners (a table of another owner fails the run before anything changes), creates
    /// them and the engine tables, and records the run as running.
    /// </summary>
    public ValueTask StartAsync(IReadOnlyList<(TableSchema Table, TableOwner Owner)> tables, CancellationToken cancellationToken) =>
        StartAsync(tables, createMissing: true, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(IReadOnlyList{ValueTuple{TableSchema, TableOwner}}, CancellationToken)"/>; without
    /// <paramref name="createMissing"/>, only tables that exist are brought up to date (a stage that removes rows
    /// has no reason to create an empty table).
    /// </summary>
    public async ValueTask StartAsync(IReadOnlyList<(TableSchema Table, TableOwner Owner)> tables, bool createMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (_plan is null)
        {
            await CheckPlanAsync(null, null, cancellationToken).ConfigureAwait(false);
        }

        await Store.EnsureAsync(cancellationToken).ConfigureAwait(false);
        await Store.ClaimTablesAsync(tables.Select(t => (t.Table.Name, t.Owner)).ToList(), Now, cancellationToken).ConfigureAwait(false);
        foreach (var (table, _) in tables)
        {
            if (createMissing || await _destination.TableExistsAsync(table.Name, cancellationToken).ConfigureAwait(false))
            {
                await _destination.EnsureTableAsync(table, cancellationToken).ConfigureAwait(false);
            }
        }

        _record = new RunRecord { RunId = RunId, Pipeline = _spec.Pipeline, Kind = _spec.Kind, Status = RunStatus.Running, StartedAt = Now, PeriodFrom = _from, PeriodTo = _to };
        await Store.SaveRunAsync(_record, cancellationToken).ConfigureAwait(false);
        _writer = new BatchWriter(_destination, _plan!, RunId, _spec.Observer, _spec.TimeProvider);
        var period = new JsonObject { ["run_id"] = RunId, ["period_from"] = _from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["period_to"] = _to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        await JournalAsync(StageKind, JournalLevel.Info, $"{_spec.Kind} started", period, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The journal kind of this run's own entries (sync, report, reconcile, ...).</summary>
    private string StageKind => JournalKinds.OfRunKind(_spec.Kind);

    /// <summary>
    /// Writes an entry of this run to <c>_mybi_journal</c> now (a stage's findings, for instance), after the
    /// warnings reported so far.
    /// </summary>
    public async ValueTask JournalAsync(string kind, JournalLevel level, string message, JsonObject? details, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _pendingJournal.Add(Entry(kind, level, message, details));
        await FlushJournalAsync(cancellationToken).ConfigureAwait(false);
    }

    private JournalEntry Entry(string kind, JournalLevel level, string message, JsonObject? details) => new()
    {
        Time = Now,
        Pipeline = _spec.Pipeline,
        Job = _spec.Kind,
        RunId = RunId,
        Kind = kind,
        Level = level,
        Message = OneLine(message),
        Details = details,
    };

    private async ValueTask FlushJournalAsync(CancellationToken cancellationToken)
    {
        if (_pendingJournal.Count == 0)
        {
            return;
        }

        var entries = _pendingJournal.ToList();
        _pendingJournal.Clear();
        await Store.AppendJournalAsync(entries, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the work of a started run and records how it ended. The work returns the run's message (null for none);
    /// when the quota stopped it, the run is quota_exhausted. An error is recorded as failed, or cancelled, and rethrown.
    /// </summary>
    public async Task<RunResult> ExecuteAsync(Func<CancellationToken, ValueTask<string?>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var record = _record ?? throw new InvalidOperationException("A run executes only after StartAsync.");
        try
        {
            var message = await work(cancellationToken).ConfigureAwait(false);
            var status = Writer.QuotaExhausted ? RunStatus.QuotaExhausted : RunStatus.Succeeded;
            message = Writer.QuotaExhausted ? _plan!.QuotaMessage : message;
            var rows = new JsonObject();
            foreach (var (table, count) in Writer.Written.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                rows[table] = count;
            }

            var details = new JsonObject { ["run_id"] = RunId, ["status"] = status.ToText(), ["rows"] = rows, ["rows_total"] = Writer.Written.Values.Sum(), ["warnings"] = _warnings.Count, ["message"] = message };
            _pendingJournal.Add(Entry(
                StageKind,
                status == RunStatus.Succeeded ? JournalLevel.Info : JournalLevel.Warning,
                string.Create(CultureInfo.InvariantCulture, $"{_spec.Kind} {status.ToText()}: {Writer.Written.Values.Sum()} row(s) written") + (message is null ? "" : $"; {message}"),
                details));
            await FlushJournalAsync(CancellationToken.None).ConfigureAwait(false);
            await Store.FinishAsync(record, status, message, Writer.Written, Now, CancellationToken.None).ConfigureAwait(false);
            EngineMetrics.RunEnded(_spec.Pipeline, _spec.Kind, status.ToText(), Writer.Written);
            return new RunResult
            {
                RunId = RunId,
                Status = status,
                RowsByTable = new Dictionary<string, long>(Writer.Written),
                TimeByTable = new Dictionary<string, TimeSpan>(_times),
                Warnings = _warnings.ToList(),
                Message = message,
            };
        }
        catch (Exception ex)
        {
            await TryRecordFailureAsync(record, ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Creates or replaces the connector's views over the tables this run loads, once they are claimed for their
    /// owners (a view's name held by another owner fails the run); returns the names created.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> EnsureViewsAsync(
        IReadOnlyList<ViewDescriptor> views, IReadOnlySet<string> streams, IReadOnlySet<string> tables, CancellationToken cancellationToken)
    {
        var planned = ConnectorViews.Plan(views, streams, tables);
        if (planned.Count == 0)
        {
            return [];
        }

        await Store.ClaimTablesAsync(planned.Select(v => (v.Name, TableOwner.View(_spec.Pipeline, v.Name))).ToList(), Now, cancellationToken).ConfigureAwait(false);
        return await ConnectorViews.EnsureAsync(_destination, planned, streams, tables, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores state after every row it covers was written, with the rows written so far.</summary>
    public async ValueTask CheckpointAsync(string stateKey, JsonObject state, CancellationToken cancellationToken)
    {
        var record = _record ?? throw new InvalidOperationException("A run stores state only after StartAsync.");
        await Store.SaveStateAsync(stateKey, state, RunId, Now, cancellationToken).ConfigureAwait(false);
        await Store.SaveRunTablesAsync(record, Writer.Written, cancellationToken).ConfigureAwait(false);
        await FlushJournalAsync(cancellationToken).ConfigureAwait(false);
        _spec.Observer.OnCheckpoint();
    }

    /// <summary>A problem that does not stop the run; it is reported now and returned with the result.</summary>
    public void Warn(string message)
    {
        _warnings.Add(message);
        _pendingJournal.Add(Entry(JournalKinds.Warning, JournalLevel.Warning, message, null));
        _spec.Observer.OnWarning(message);
    }

    /// <summary>How long a table (or stream) took, from its first row to its last write, for the result.</summary>
    public void RecordTime(string name, TimeSpan elapsed) => _times[name] = elapsed;

    private DateTimeOffset Now => _spec.TimeProvider.GetUtcNow();

    /// <summary>
    /// Records a failed or cancelled run if the destination still answers. The destination may be what failed, and
    /// the run's own error is what the caller gets, so a failure to record it is not reported over it.
    /// </summary>
    private async ValueTask TryRecordFailureAsync(RunRecord record, Exception error)
    {
        var status = error is OperationCanceledException ? RunStatus.Cancelled : RunStatus.Failed;
        EngineMetrics.RunEnded(_spec.Pipeline, _spec.Kind, status.ToText(), Writer.Written);
        try
        {
            await Store.FinishAsync(record, status, OneLine(error.Message), Writer.Written, Now, CancellationToken.None).ConfigureAwait(false);
            var details = new JsonObject { ["run_id"] = RunId, ["status"] = status.ToText(), ["error"] = error is MyBiException typed ? typed.Kind.ToString().ToLowerInvariant() : "system" };
            _pendingJournal.Add(Entry(JournalKinds.Error, JournalLevel.Error, $"{_spec.Kind} {status.ToText()}: {error.Message}", details));
            await FlushJournalAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See the summary: the original error is rethrown by the caller.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Run messages are read in one-line table cells; the lines of a driver's error are joined with spaces.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
