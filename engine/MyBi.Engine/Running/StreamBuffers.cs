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
/// <para>
/// With <c>overlapWrites</c>, a batch that is full goes to the destination on another thread while the next one is
/// read: on a machine of few cores, fetching and parsing the source's pages and writing the destination take turns
/// otherwise. One write at most is in flight (memory stays at two batches), writes keep their order, the quota is
/// reserved in the run's own flow before a write starts, and the rows are counted only once their write is
/// committed. <see cref="FlushAllAsync"/> returns only when everything is written, so state stored after it covers
/// only committed rows.
/// </para>
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
    private readonly bool _overlapWrites;
    private int _setAsidePending;
    private bool _flushDue;
    private InFlight? _inFlight;

    public StreamBuffers(BatchWriter writer, IEnumerable<CompiledStream> streams, IReadOnlyDictionary<string, IRowTransform> transforms, int batchSize, TimeProvider timeProvider, long maxBatchBytes = DefaultMaxBatchBytes, bool overlapWrites = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1);
        _writer = writer;
        _overlapWrites = overlapWrites;
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
        if (_inFlight is { Work.IsFaulted: true })
        {
            // A write that failed stops the read now, not a batch later: no request is spent on rows that will not be written.
            await DrainAsync().ConfigureAwait(false);
        }

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
        return !_flushDue || groupContinues || await FlushAsync(wait: !_overlapWrites, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes every buffered row and waits for every write before it; returns false once the quota stops the run.
    /// The quota holds all the buffers as one write, so either all of them are written or none.
    /// </summary>
    public ValueTask<bool> FlushAllAsync(CancellationToken cancellationToken) => FlushAsync(wait: true, cancellationToken);

    /// <summary>
    /// Waits for a write still in flight when the run fails for another reason, so that nothing touches the
    /// destination behind the run's back; its own failure, if any, is not reported over the run's. A write that
    /// was committed is counted.
    /// </summary>
    public async ValueTask SettleAsync()
    {
        if (_inFlight is not { } flight)
        {
            return;
        }

        _inFlight = null;
        await flight.Work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (flight.Work.IsCompletedSuccessfully)
        {
            Counted(flight);
        }
    }

    private async ValueTask<bool> FlushAsync(bool wait, CancellationToken cancellationToken)
    {
        _flushDue = false;
        if (_writer.QuotaExhausted)
        {
            await DrainAsync().ConfigureAwait(false);
            return false;
        }

        var prepared = _buffers.Values.Where(b => b.Count > 0).Select(b => Prepare(b, cancellationToken)).ToList();
        var batches = prepared.SelectMany(p => p.Batches).Where(b => b.Count > 0).ToList();
        if (!_writer.TryReserve(batches.Sum(b => b.Count)))
        {
            await DrainAsync().ConfigureAwait(false);
            return false;
        }

        // The quarantine's rows go after the data, as whole batches taken now: the buffers are refilled meanwhile.
        var quarantine = new List<RecordBatch>();
        foreach (var (buffer, _, quarantined) in prepared)
        {
            if (quarantined.Count > 0)
            {
                quarantine.Add(_writer.QuarantineBatch(buffer.Stream.Table.Name, quarantined));
            }

            buffer.Clear();
        }

        foreach (var (stream, rows) in _setAside)
        {
            quarantine.Add(_writer.QuarantineBatch(stream, rows));
        }

        _setAside.Clear();
        _setAsidePending = 0;

        // One write in flight at most, and in order: the one before this must be committed first.
        await DrainAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var streams = prepared.Select(p => p.Buffer.Stream.Table.Name).ToList();

        // A write handed over is finished even when the run is cancelled meanwhile (the run waits for it, one batch
        // at most): what was read before the cancellation is written, as when the write was done in turn.
        var work = wait
            ? StoreAsync(batches, quarantine, cancellationToken)
            : Task.Run(() => StoreAsync(batches, quarantine, CancellationToken.None), CancellationToken.None);
        _inFlight = new InFlight(work, batches, quarantine, streams);
        if (wait)
        {
            await DrainAsync().ConfigureAwait(false);
        }

        return true;
    }

    private async Task StoreAsync(List<RecordBatch> batches, List<RecordBatch> quarantine, CancellationToken cancellationToken)
    {
        foreach (var batch in batches)
        {
            await _writer.StoreAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        foreach (var batch in quarantine)
        {
            await _writer.StoreAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the write in flight (its failure is the run's) and counts its rows.</summary>
    private async ValueTask DrainAsync()
    {
        if (_inFlight is not { } flight)
        {
            return;
        }

        _inFlight = null;
        await flight.Work.ConfigureAwait(false);
        Counted(flight);
    }

    private void Counted(InFlight flight)
    {
        foreach (var batch in flight.Batches)
        {
            _writer.Count(batch);
        }

        foreach (var batch in flight.Quarantine)
        {
            _writer.CountQuarantined(batch);
        }

        foreach (var stream in flight.Streams)
        {
            _elapsed[stream] = _timeProvider.GetElapsedTime(_firstRowAt[stream]);
        }
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

    /// <summary>A write started by a flush, with what it writes, counted once it is committed.</summary>
    private sealed record InFlight(Task Work, IReadOnlyList<RecordBatch> Batches, IReadOnlyList<RecordBatch> Quarantine, IReadOnlyList<string> Streams);

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
