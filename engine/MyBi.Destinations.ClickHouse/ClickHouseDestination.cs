using System.Runtime.CompilerServices;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Destinations.ClickHouse.Internal;

namespace MyBi.Destinations.ClickHouse;

/// <summary>
/// Writes to ClickHouse over its HTTP interface with ClickHouse.Driver. Tables are
/// <c>ReplacingMergeTree(_mybi_version)</c> ordered by the primary key; every row carries a hidden, increasing
/// <c>_mybi_version</c>, so a merge is a plain INSERT and reads that need one row per key use <c>FINAL</c>.
/// <para>
/// Atomicity: a batch of up to <see cref="ClickHouseDestinationOptions.BatchSize"/> rows is one INSERT, committed
/// by a single server as one part, whole or not at all. Writing a batch again after a failure never duplicates
/// rows in <see cref="WriteMode.Merge"/> (the newer versions replace the older). In <see cref="WriteMode.Append"/>
/// every INSERT adds its rows: if a failure hides whether an INSERT was committed (the connection broke after the
/// server committed), writing the batch again can store it twice.
/// </para>
/// </summary>
public sealed class ClickHouseDestination : Destination
{
    private readonly ClickHouseDestinationOptions _options;
    private readonly ClickHouseCommands _commands;
    private readonly ClickHouseTables _tables;
    private readonly ClickHouseBatchWriter _writer;
    private readonly ClickHouseTableReader _reader;
    private readonly ClickHouseReadOnlyQuery _query;
    private readonly ClickHouseRowDeleter _deleter;

    /// <summary>Creates a destination; nothing connects until the first call.</summary>
    public ClickHouseDestination(ClickHouseDestinationOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = options.Parse();
        _options = options;
        var settings = new ClickHouseClientSettings(parsed.Client)
        {
            // Exact decimals come back as System.Decimal, the contract's type.
            UseCustomDecimals = false,
        };
        _commands = new ClickHouseCommands(new ClickHouseClient(settings), parsed.Endpoint);
        var ddl = new ClickHouseTableDdl(options.Database, options.Cluster);
        _tables = new ClickHouseTables(_commands, ddl, options.Database);
        _writer = new ClickHouseBatchWriter(_commands, _tables, ddl, new VersionClock(timeProvider ?? TimeProvider.System), options.Database, options.BatchSize);
        _reader = new ClickHouseTableReader(_commands, options.Database);
        _query = new ClickHouseReadOnlyQuery(_commands, options.Database, options.QueryTimeout);
        _deleter = new ClickHouseRowDeleter(_commands, ddl, options.Database);
    }

    /// <inheritdoc />
    public override string DisplayName => $"clickhouse://{_commands.Endpoint.Address}/{_options.Database}";

    /// <inheritdoc />
    public override async ValueTask CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CheckTimeout);
        try
        {
            await _commands.RunAsync((client, _) => client.ExecuteScalarAsync("SELECT 1", null!, null!, timeout.Token), "checking the connection", cancellationToken)
                .ConfigureAwait(false);
        }
        catch (MyBiException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The check's own deadline, not the caller, ended the call: say how long it waited.
            throw ClickHouseErrors.CheckTimedOut(_commands.Endpoint, _options.CheckTimeout, ex.InnerException ?? ex);
        }

        await _tables.EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _tables.EnsureTableAsync(table, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>A table is read with FINAL, so a view sees one current version of every row.</remarks>
    public override string ViewSource(string name, bool isView) =>
        isView ? ClickHouseSql.Table(_options.Database, name) : "(SELECT * FROM " + ClickHouseSql.Table(_options.Database, name) + " FINAL)";

    /// <inheritdoc />
    public override ValueTask EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(selectSql);
        return _tables.EnsureViewAsync(name, selectSql, description, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _writer.WriteAsync(batch, mode, cancellationToken);
    }

    /// <inheritdoc />
    public override string? ValueProblem(ColumnSchema column, object value)
    {
        ArgumentNullException.ThrowIfNull(column);
        return ClickHouseBatchWriter.ValueProblem(column, value);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return _reader.ReadAsync(table, cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<object?[]> ReadRowsAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        if (!await _tables.ExistsAsync(table.Name, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        await foreach (var row in _reader.ReadAsync(table, conditions, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        return _tables.ExistsAsync(table, cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return _query.RunAsync(sql, maxRows, cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<string>> QueryStreamAsync(string sql, QueryRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentNullException.ThrowIfNull(sink);
        await _query.StreamAsync(sql, sink, maxRows: null, cancellationToken).ConfigureAwait(false);
        return [];
    }

    /// <summary>
    /// Deletes the current rows matching every condition. With a primary key, every stored version of each matching
    /// key goes (a delete of the newest version alone would bring an older one back); the delete is a lightweight
    /// DELETE, so rows disappear from reads at once and from disk at the next merge. Returns the number of rows
    /// (keys) deleted.
    /// </summary>
    public override ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        return _deleter.DeleteAsync(table, conditions, cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<long> CountAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        return await _tables.ExistsAsync(table.Name, cancellationToken).ConfigureAwait(false)
            ? await _deleter.CountAsync(table, conditions, cancellationToken).ConfigureAwait(false)
            : 0;
    }

    /// <summary>
    /// Deletes the rows of the oldest month that has rows dated before <paramref name="cutoff"/> with one lightweight
    /// DELETE; a month, not <paramref name="maxRows"/>, bounds a batch, as a mutation's cost is in the parts it rewrites.
    /// </summary>
    public override async ValueTask<long> DeleteBatchAsync(TableSchema table, string column, object cutoff, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        ArgumentNullException.ThrowIfNull(cutoff);
        return await _tables.ExistsAsync(table.Name, cancellationToken).ConfigureAwait(false)
            ? await _deleter.DeleteOldestMonthAsync(table, column, cutoff, cancellationToken).ConfigureAwait(false)
            : 0;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _commands.Dispose();
        return ValueTask.CompletedTask;
    }
}
