using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Engine.Schema;
using Polly;
using Polly.Retry;

namespace MyBi.Engine.Running;

/// <summary>Per-stream row buffers, flushed as batches when full and at every checkpoint.</summary>
internal sealed class StreamBuffers
{
    private readonly Destination _destination;
    private readonly int _batchSize;
    private readonly PlanGuard _plan;
    private readonly RunObserver _observer;
    private readonly ResiliencePipeline _retry;
    private readonly Dictionary<string, (CompiledStream Stream, List<object?[]> Rows)> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstRowAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _elapsed = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;

    public StreamBuffers(Destination destination, IEnumerable<CompiledStream> streams, int batchSize, PlanGuard plan, RunObserver observer, TimeProvider timeProvider)
    {
        _destination = destination;
        _batchSize = batchSize;
        _plan = plan;
        _observer = observer;
        _timeProvider = timeProvider;
        foreach (var stream in streams)
        {
            _buffers[stream.Table.Name] = (stream, new List<object?[]>());
        }

        // Destinations make each batch atomic and merges idempotent, so a transient failure can simply be written again.
        _retry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Abstractions.Errors.MyBiException>(e => e.Kind == Abstractions.Errors.FailureKind.Transient),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
            })
            .Build();
    }

    public IReadOnlyDictionary<string, long> Written => _written;

    public IReadOnlyDictionary<string, TimeSpan> Elapsed => _elapsed;

    public bool QuotaExhausted { get; private set; }

    public bool IsKnown(string stream) => _buffers.ContainsKey(stream);

    /// <summary>Adds a row; returns false once the plan's quota stops the run.</summary>
    public async ValueTask<bool> AddAsync(string stream, object?[] row, CancellationToken cancellationToken)
    {
        var (_, rows) = _buffers[stream];
        _firstRowAt.TryAdd(stream, _timeProvider.GetTimestamp());

        rows.Add(row);
        return rows.Count < _batchSize || await FlushAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every buffered row; returns false once the quota stops the run.</summary>
    public async ValueTask<bool> FlushAllAsync(CancellationToken cancellationToken)
    {
        foreach (var stream in _buffers.Keys)
        {
            if (!await FlushAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> FlushAsync(string stream, CancellationToken cancellationToken)
    {
        var (compiled, rows) = _buffers[stream];
        if (rows.Count == 0)
        {
            return true;
        }

        if (QuotaExhausted || !_plan.TryReserve(rows.Count))
        {
            QuotaExhausted = true;
            return false;
        }

        var batch = new RecordBatch(compiled.Table, rows.ToArray());
        rows.Clear();
        await _retry.ExecuteAsync(
            static async (state, ct) => await state.Item1.WriteAsync(state.batch, WriteMode.Merge, ct).ConfigureAwait(false),
            (_destination, batch),
            cancellationToken).ConfigureAwait(false);

        var total = _written.GetValueOrDefault(stream) + batch.Count;
        _written[stream] = total;
        _elapsed[stream] = _timeProvider.GetElapsedTime(_firstRowAt[stream]);
        _observer.OnRowsWritten(stream, batch.Count, total);
        return true;
    }
}
