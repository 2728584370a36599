using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;
using MyBi.Engine.State;
using Polly;
using Polly.Retry;

namespace MyBi.Engine.Running;

/// <summary>
/// Per-stream row buffers, flushed as batches when full and at every checkpoint. A stream with a rule transform
/// keeps its source rows and writes whatever tables the rule emits. "Full" is a number of rows or an approximate
/// size in bytes, whichever comes first: a few rows with huge texts must not hold the memory a batch of small ones would.
/// </summary>
internal sealed class StreamBuffers
{
    private readonly Destination _destination;
    /// <summary>The default of the byte budget of one stream's buffer.</summary>
    public const long DefaultMaxBatchBytes = 64L * 1024 * 1024;

    private readonly int _batchSize;
    private readonly long _maxBatchBytes;
    private readonly PlanGuard _plan;
    private readonly RunObserver _observer;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retry;
    private readonly Dictionary<string, Buffer> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstRowAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _elapsed = new(StringComparer.Ordinal);

    public StreamBuffers(Destination destination, IEnumerable<CompiledStream> streams, IReadOnlyDictionary<string, IRowTransform> transforms, int batchSize, PlanGuard plan, RunObserver observer, TimeProvider timeProvider, long maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1);
        _destination = destination;
        _batchSize = batchSize;
        _maxBatchBytes = maxBatchBytes;
        _plan = plan;
        _observer = observer;
        _timeProvider = timeProvider;
        foreach (var stream in streams)
        {
            _buffers[stream.Table.Name] = new Buffer(stream, transforms.GetValueOrDefault(stream.Table.Name));
        }

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

    public required string RunId { get; init; }

    public IReadOnlyDictionary<string, long> Written => _written;

    public IReadOnlyDictionary<string, TimeSpan> Elapsed => _elapsed;

    public bool QuotaExhausted { get; private set; }

    /// <summary>Adds a source row; returns false once the plan's quota stops the run.</summary>
    public async ValueTask<bool> AddAsync(CompiledStream stream, JsonObject data, CancellationToken cancellationToken)
    {
        var buffer = _buffers[stream.Table.Name];
        _firstRowAt.TryAdd(stream.Table.Name, _timeProvider.GetTimestamp());
        if (buffer.Transform is null)
        {
            var row = RecordNormalizer.Normalize(stream, data);
            buffer.Rows.Add(row);
            buffer.Bytes += ApproximateSize.Of(row);
        }
        else
        {
            buffer.Source.Add(data);
            buffer.Bytes += ApproximateSize.Of(data);
        }

        return (buffer.Count < _batchSize && buffer.Bytes < _maxBatchBytes) || await FlushAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every buffered row; returns false once the quota stops the run.</summary>
    public async ValueTask<bool> FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in _buffers.Values)
        {
            if (!await FlushAsync(buffer, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> FlushAsync(Buffer buffer, CancellationToken cancellationToken)
    {
        if (buffer.Count == 0)
        {
            return true;
        }

        IReadOnlyList<RecordBatch> batches;
        IReadOnlyList<QuarantinedRow> quarantined = [];
        if (buffer.Transform is { } transform)
        {
            var result = transform.Transform(buffer.Source.ToArray(), buffer.Stream.KeyOf, cancellationToken);
            batches = result.Batches;
            quarantined = result.Quarantined;
        }
        else
        {
            batches = [new RecordBatch(buffer.Stream.Table, buffer.Rows.ToArray())];
        }

        if (QuotaExhausted || !_plan.TryReserve(batches.Sum(b => b.Count)))
        {
            QuotaExhausted = true;
            return false;
        }

        buffer.Clear();
        foreach (var batch in batches.Where(b => b.Count > 0))
        {
            await WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        if (quarantined.Count > 0)
        {
            var now = _timeProvider.GetUtcNow();
            var rows = quarantined.Select(q => new object?[] { RunId, buffer.Stream.Table.Name, q.RowKey, q.Error, q.RowJson, now }).ToArray();
            await WriteAsync(new RecordBatch(EngineTables.Quarantine, rows), cancellationToken).ConfigureAwait(false);
        }

        _elapsed[buffer.Stream.Table.Name] = _timeProvider.GetElapsedTime(_firstRowAt[buffer.Stream.Table.Name]);
        return true;
    }

    private async ValueTask WriteAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        await _retry.ExecuteAsync(
            static async (state, ct) => await state.Item1.WriteAsync(state.batch, WriteMode.Merge, ct).ConfigureAwait(false),
            (_destination, batch),
            cancellationToken).ConfigureAwait(false);
        var total = _written.GetValueOrDefault(batch.Schema.Name) + batch.Count;
        _written[batch.Schema.Name] = total;
        _observer.OnRowsWritten(batch.Schema.Name, batch.Count, total);
    }

    private sealed class Buffer(CompiledStream stream, IRowTransform? transform)
    {
        public CompiledStream Stream { get; } = stream;

        public IRowTransform? Transform { get; } = transform;

        public List<object?[]> Rows { get; } = [];

        public List<JsonObject> Source { get; } = [];

        public int Count => Rows.Count + Source.Count;

        /// <summary>Approximate memory held by the buffered rows.</summary>
        public long Bytes { get; set; }

        public void Clear()
        {
            Rows.Clear();
            Source.Clear();
            Bytes = 0;
        }
    }
}
