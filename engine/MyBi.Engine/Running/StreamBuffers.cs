using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Engine.Normalization;
using MyBi.Engine.Schema;

namespace MyBi.Engine.Running;

/// <summary>
/// Per-stream row buffers, flushed as batches when full and at every checkpoint. A stream with a rule transform
/// keeps its source rows and writes whatever tables the rule emits. "Full" is a number of rows or an approximate
/// size in bytes, whichever comes first: a few rows with huge texts must not hold the memory a batch of small ones would.
/// </summary>
internal sealed class StreamBuffers
{
    /// <summary>The default of the byte budget of one stream's buffer.</summary>
    public const long DefaultMaxBatchBytes = 64L * 1024 * 1024;

    private static readonly ColumnSchema s_rowJson = new("row_json", ColumnType.Json);

    private readonly BatchWriter _writer;
    private readonly int _batchSize;
    private readonly long _maxBatchBytes;
    private readonly TimeProvider _timeProvider;
    private readonly DateTimeOffset _loadedAt;
    private readonly Dictionary<string, Buffer> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _firstRowAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _elapsed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<QuarantinedRow>> _setAside = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Count, string FirstReason)> _setAsideByStream = new(StringComparer.Ordinal);
    private int _setAsidePending;
    private bool _flushDue;

    public StreamBuffers(BatchWriter writer, IEnumerable<CompiledStream> streams, IReadOnlyDictionary<string, IRowTransform> transforms, int batchSize, TimeProvider timeProvider, long maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1);
        _writer = writer;
        _batchSize = batchSize;
        _maxBatchBytes = maxBatchBytes;
        _timeProvider = timeProvider;
        _loadedAt = timeProvider.GetUtcNow();
        foreach (var stream in streams)
        {
            _buffers[stream.Table.Name] = new Buffer(stream, transforms.GetValueOrDefault(stream.Table.Name));
        }
    }

    public IReadOnlyDictionary<string, TimeSpan> Elapsed => _elapsed;

    /// <summary>Rows set aside in the quarantine because their key is unusable, per stream: the count and the first reason.</summary>
    public IReadOnlyDictionary<string, (long Count, string FirstReason)> SetAside => _setAsideByStream;

    /// <summary>
    /// Adds a source row; returns false once the plan's quota stops the run. A full buffer is flushed with all the
    /// others, but never while <paramref name="groupContinues"/> says more rows of the same source object follow.
    /// </summary>
    public async ValueTask<bool> AddAsync(CompiledStream stream, JsonObject data, CancellationToken cancellationToken, bool groupContinues = false)
    {
        var buffer = _buffers[stream.Table.Name];
        if (!_firstRowAt.ContainsKey(stream.Table.Name))
        {
            // Asked once per stream, not for every row.
            _firstRowAt[stream.Table.Name] = _timeProvider.GetTimestamp();
        }

        if (RecordNormalizer.KeyProblem(stream, data) is { } problem)
        {
            SetAsideRow(stream, data, problem);
        }
        else if (buffer.Transform is null)
        {
            var row = RecordNormalizer.Normalize(stream, data, _loadedAt);
            buffer.Rows.Add(row);
            buffer.Bytes += ApproximateSize.Of(row);
        }
        else
        {
            buffer.Source.Add(data);
            buffer.Bytes += ApproximateSize.Of(data);
        }

        _flushDue |= buffer.Count >= _batchSize || buffer.Bytes >= _maxBatchBytes || _setAsidePending >= _batchSize;
        return !_flushDue || groupContinues || await FlushAllAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes every buffered row; returns false once the quota stops the run. The quota holds all the buffers as one
    /// write, so either all of them are written or none.
    /// </summary>
    public async ValueTask<bool> FlushAllAsync(CancellationToken cancellationToken)
    {
        _flushDue = false;
        if (_writer.QuotaExhausted)
        {
            return false;
        }

        var prepared = _buffers.Values.Where(b => b.Count > 0).Select(b => Prepare(b, cancellationToken)).ToList();
        if (!await _writer.WriteAsync(prepared.SelectMany(p => p.Batches).ToList(), cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        foreach (var (buffer, _, quarantined) in prepared)
        {
            buffer.Clear();
            await _writer.QuarantineAsync(buffer.Stream.Table.Name, quarantined, cancellationToken).ConfigureAwait(false);
            _elapsed[buffer.Stream.Table.Name] = _timeProvider.GetElapsedTime(_firstRowAt[buffer.Stream.Table.Name]);
        }

        foreach (var (stream, rows) in _setAside)
        {
            await _writer.QuarantineAsync(stream, rows, cancellationToken).ConfigureAwait(false);
        }

        _setAside.Clear();
        _setAsidePending = 0;
        return true;
    }

    private (Buffer Buffer, IReadOnlyList<RecordBatch> Batches, IReadOnlyList<QuarantinedRow> Quarantined) Prepare(Buffer buffer, CancellationToken cancellationToken)
    {
        if (buffer.Transform is { } transform)
        {
            var result = transform.Transform(buffer.Source.ToArray(), buffer.Stream.KeyOf, cancellationToken);
            return (buffer, result.Batches, result.Quarantined);
        }

        return (buffer, [new RecordBatch(buffer.Stream.Table, buffer.Rows.ToArray())], []);
    }

    /// <summary>A row whose key cannot be stored is kept in the quarantine with the reason; the run goes on.</summary>
    private void SetAsideRow(CompiledStream stream, JsonObject data, string problem)
    {
        var name = stream.Table.Name;
        var (count, first) = _setAsideByStream.GetValueOrDefault(name, (0, problem));
        _setAsideByStream[name] = (count + 1, first);

        // Several rows may share an unusable key (null, missing): the ordinal keeps each of them.
        var rowKey = string.Create(CultureInfo.InvariantCulture, $"{stream.KeyOf(data)} #{count + 1}");
        var json = (string)LenientValue.Parse(data, s_rowJson.Type)!;
        if (!_setAside.TryGetValue(name, out var rows))
        {
            _setAside[name] = rows = [];
        }

        rows.Add(new QuarantinedRow(rowKey, $"unusable key: {problem}", json));
        _setAsidePending++;
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
