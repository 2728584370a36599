using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Engine.State;
using Polly;
using Polly.Retry;

namespace MyBi.Engine.Running;

/// <summary>
/// Writes the batches of one run: each write is held to the plan's row quota before anything of it is written,
/// retried on transient failures, and counted per table for <c>_mybi_run_tables</c>.
/// </summary>
public sealed class BatchWriter
{
    private readonly Destination _destination;
    private readonly PlanGuard _plan;
    private readonly string _runId;
    private readonly RunObserver _observer;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retry;
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);

    internal BatchWriter(Destination destination, PlanGuard plan, string runId, RunObserver observer, TimeProvider timeProvider)
    {
        _destination = destination;
        _plan = plan;
        _runId = runId;
        _observer = observer;
        _timeProvider = timeProvider;

        // Destinations make each batch atomic and merges idempotent, so a transient failure can simply be written again.
        _retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<MyBiException>(e => e.Kind == FailureKind.Transient),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
            })
            .Build();
    }

    /// <summary>Rows written per table so far.</summary>
    public IReadOnlyDictionary<string, long> Written => _written;

    /// <summary>Whether a write was refused by the quota; every later write is refused too.</summary>
    public bool QuotaExhausted { get; private set; }

    /// <summary>Rows kept in the quarantine so far.</summary>
    public long Quarantined { get; private set; }

    /// <summary>
    /// Writes the batches as one unit of the quota: either all of them fit and are written, or none is and the run
    /// has to stop (false). Rows of one source object may span several tables; they are kept whole.
    /// </summary>
    public async ValueTask<bool> WriteAsync(IReadOnlyList<RecordBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (!TryReserve(batches.Sum(b => b.Count)))
        {
            return false;
        }

        foreach (var batch in batches)
        {
            if (batch.Count > 0)
            {
                await WriteOneAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    /// <summary>Writes one batch; false when the quota refuses it (nothing is written).</summary>
    public ValueTask<bool> WriteAsync(RecordBatch batch, CancellationToken cancellationToken) => WriteAsync([batch], cancellationToken);

    /// <summary>
    /// Keeps rows that could not be loaded in <c>_mybi_quarantine</c>, under <paramref name="source"/> (a stream or
    /// a job), instead of failing the run. They are not data of the plan, so the quota does not hold them back.
    /// </summary>
    public async ValueTask QuarantineAsync(string source, IReadOnlyCollection<QuarantinedRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var batch = QuarantineBatch(source, rows);
        await StoreAsync(batch, cancellationToken).ConfigureAwait(false);
        CountQuarantined(batch);
    }

    /// <summary>
    /// Holds <paramref name="rows"/> to the plan's quota before any of them is written: false when they do not fit,
    /// and every later write is refused too.
    /// </summary>
    internal bool TryReserve(int rows)
    {
        if (QuotaExhausted || !_plan.TryReserve(rows))
        {
            QuotaExhausted = true;
            return false;
        }

        return true;
    }

    /// <summary>The rows of <see cref="QuarantineAsync"/> as a batch of <c>_mybi_quarantine</c>, stamped now.</summary>
    internal RecordBatch QuarantineBatch(string source, IReadOnlyCollection<QuarantinedRow> rows)
    {
        var now = _timeProvider.GetUtcNow();
        return new RecordBatch(EngineTables.Quarantine, rows.Select(q => new object?[] { _runId, source, q.RowKey, q.Error, q.RowJson, now }).ToArray());
    }

    /// <summary>
    /// Writes a batch whose rows were reserved (or are not plan data), retried on transient failures, without
    /// counting it: the count is the run's own bookkeeping (<see cref="Count"/>), which a write done on another
    /// thread leaves to the run's flow once it is known to be committed.
    /// </summary>
    internal async ValueTask StoreAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _retry.ExecuteAsync(
            static async (state, ct) => await state.Item1.WriteAsync(state.batch, WriteMode.Merge, ct).ConfigureAwait(false),
            (_destination, batch),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts a committed batch for its table and tells the observer.</summary>
    internal void Count(RecordBatch batch)
    {
        var total = _written.GetValueOrDefault(batch.Schema.Name) + batch.Count;
        _written[batch.Schema.Name] = total;
        _observer.OnRowsWritten(batch.Schema.Name, batch.Count, total);
    }

    /// <summary>Counts a committed batch of <see cref="QuarantineBatch"/>.</summary>
    internal void CountQuarantined(RecordBatch batch)
    {
        Count(batch);
        Quarantined += batch.Count;
    }

    private async ValueTask WriteOneAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        await StoreAsync(batch, cancellationToken).ConfigureAwait(false);
        Count(batch);
    }
}
