using MyBi.Abstractions.Records;

namespace MyBi.Abstractions.Destinations;

/// <summary>
/// A warehouse the engine writes to. Implementations write what they are given and let exceptions
/// propagate (as <see cref="Errors.MyBiException"/> with the right kind); the engine owns batching,
/// retries and state. Every identifier is quoted; no value is ever concatenated into SQL.
/// </summary>
public abstract class Destination : IAsyncDisposable
{
    /// <summary>Where the data goes, for messages: host and port or file, never a password.</summary>
    public abstract string DisplayName { get; }

    /// <summary>Connects and checks the destination is usable; fails fast with a clear message naming host and port.</summary>
    public abstract ValueTask CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the table if missing; adds new columns as nullable; refuses an incompatible type change
    /// with a <see cref="Errors.FailureKind.Config"/> error naming table and column.
    /// </summary>
    public abstract ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes one batch atomically: after it returns every row is committed; if it throws, none of them is
    /// (or the batch can be written again without duplicates). <see cref="WriteMode.Merge"/> needs a primary key.
    /// </summary>
    public abstract ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads every current row of a table (one per key after deduplication), values typed as in a
    /// <see cref="RecordBatch"/>, in no particular order. Meant for small engine tables and tests.
    /// </summary>
    public abstract IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, CancellationToken cancellationToken = default);

    /// <summary>Whether the table exists.</summary>
    public abstract ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>Runs a read-only SQL query in the destination's own dialect; writes are refused.</summary>
    public abstract ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a read-only SQL query like <see cref="QueryAsync"/> and hands every row to <paramref name="sink"/> as it is
    /// read, holding none: an export of any size keeps memory flat. Returns the warnings about how the query ran. The
    /// default runs <see cref="QueryAsync"/> without a limit; destinations that can read row by row override it.
    /// </summary>
    public virtual async ValueTask<IReadOnlyList<string>> QueryStreamAsync(string sql, QueryRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var result = await QueryAsync(sql, int.MaxValue, cancellationToken).ConfigureAwait(false);
        sink.OnColumns(result.Columns);
        foreach (var row in result.Rows)
        {
            sink.OnRow(row);
        }

        return result.Warnings;
    }

    /// <summary>
    /// Why this warehouse cannot hold <paramref name="value"/> (a typed value of <paramref name="column"/>'s type) in
    /// that column, such as a date outside the range its date type holds; null when it can. <see cref="WriteAsync"/>
    /// refuses such a value with the same reason. The engine asks before writing where one row's fault must not fail
    /// the rows beside it nor leave half of one source object written (a webhook event and its tables).
    /// </summary>
    public virtual string? ValueProblem(ColumnSchema column, object value) => null;

    /// <summary>
    /// Deletes the rows matching every condition (values are parameters, columns are quoted) and returns how many
    /// were deleted, or -1 when the destination cannot tell. Used to replace a reloaded period and for retention.
    /// </summary>
    public virtual ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.System, $"{DisplayName} cannot delete rows.");

    /// <summary>
    /// Counts the current rows matching every condition (one per key where the destination keeps versions), for a
    /// dry run of a delete. Returns 0 when the table does not exist.
    /// </summary>
    public virtual ValueTask<long> CountAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.System, $"{DisplayName} cannot count rows.");

    /// <summary>
    /// Streams the current rows matching every condition (one per key where the destination keeps versions; values
    /// are parameters, columns are quoted), typed as <see cref="ReadTableAsync"/> types them; nothing when the table
    /// does not exist. Reads one period of one company, for instance, without reading the whole table.
    /// </summary>
    public virtual IAsyncEnumerable<object?[]> ReadRowsAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.System, $"{DisplayName} cannot read rows by condition.");

    /// <summary>
    /// Deletes one bounded batch of the rows whose <paramref name="column"/> is before <paramref name="cutoff"/>
    /// (retention) and returns how many went; the caller repeats until it returns 0. Each batch commits on its own,
    /// so a stop keeps what was deleted and a new run continues. A destination bounds the batch as it does best:
    /// at most <paramref name="maxRows"/> rows, or one month of dates. The default deletes everything at once.
    /// </summary>
    public virtual ValueTask<long> DeleteBatchAsync(TableSchema table, string column, object cutoff, int maxRows, CancellationToken cancellationToken = default) =>
        DeleteAsync(table, [new RowCondition(column, ConditionOperator.Less, cutoff)], cancellationToken);

    /// <summary>
    /// What a view's FROM names to read a table (<paramref name="isView"/> false) or a view of this destination: a
    /// quoted reference that sees one current row per key.
    /// </summary>
    public virtual string ViewSource(string name, bool isView) =>
        throw new Errors.MyBiException(Errors.FailureKind.System, $"{DisplayName} cannot hold views.");

    /// <summary>
    /// Creates or replaces a view from a checked SELECT (table references already from <see cref="ViewSource"/>)
    /// and sets its comment.
    /// </summary>
    public virtual ValueTask EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken = default) =>
        throw new Errors.MyBiException(Errors.FailureKind.System, $"{DisplayName} cannot hold views.");

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
