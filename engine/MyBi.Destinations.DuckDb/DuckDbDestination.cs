using System.Globalization;
using System.Runtime.CompilerServices;
using DuckDB.NET.Data;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Destinations.DuckDb.Internal;

namespace MyBi.Destinations.DuckDb;

/// <summary>
/// The embedded default warehouse: one DuckDB file, one connection per destination. DuckDB runs in-process, so
/// its calls are CPU and disk work on the caller's thread; a gate keeps calls on the one connection sequential.
/// </summary>
public sealed class DuckDbDestination : Destination
{
    private readonly DuckDbDestinationOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DuckDbTableShapes _shapes = new();
    private DuckDBConnection? _connection;
    private bool _disposed;

    /// <summary>Creates a destination for the file the options name; nothing is opened until first use.</summary>
    public DuckDbDestination(DuckDbDestinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <inheritdoc />
    public override string DisplayName => $"DuckDB file {_options.Path}";

    /// <summary>The database file.</summary>
    public string FilePath => _options.Path;

    /// <inheritdoc />
    public override async ValueTask CheckAsync(CancellationToken cancellationToken = default)
    {
        // A file that does not exist yet is created with the first table, once the source has been checked too:
        // a run that fails at login must not leave an empty database behind.
        if (_connection is null && !File.Exists(_options.Path))
        {
            return;
        }

        await RunAsync(
            create: true,
            "checking the database",
            table: null,
            connection =>
            {
                Execute(connection!, "SELECT 1");
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        await RunAsync(
            create: true,
            $"preparing table '{table.Name}'",
            table.Name,
            connection => _shapes.Ensure(connection!, table),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await RunAsync(
            create: true,
            $"writing {batch.Count} rows to table '{batch.Schema.Name}'",
            batch.Schema.Name,
            connection =>
            {
                var shape = _shapes.Ensure(connection!, batch.Schema);
                if (batch.Count > 0)
                {
                    DuckDbBatchWriter.Write(connection!, shape, batch, mode, cancellationToken);
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The rows are read completely before the first is yielded (DuckDB materializes the result anyway), so a
    /// caller may use this destination again while iterating.
    /// </remarks>
    public override async IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = await RunAsync(
            create: false,
            $"reading table '{table.Name}'",
            table.Name,
            connection => ReadAll(RequireFile(connection), table, [], cancellationToken),
            cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <inheritdoc />
    /// <remarks>The rows are read under the connection's lock, so they come as one list: bounded by the conditions.</remarks>
    public override async IAsyncEnumerable<object?[]> ReadRowsAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        var rows = await RunAsync(
            create: false,
            $"reading rows of table '{table.Name}'",
            table.Name,
            connection => connection is null || !_shapes.Exists(connection, table.Name) ? [] : ReadAll(connection, table, conditions, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);

        // A missing file holds no tables; it is not created just to answer that.
        return RunAsync(
            create: false,
            $"looking up table '{table}'",
            table,
            connection => connection is not null && _shapes.Exists(connection, table),
            cancellationToken);
    }

    /// <inheritdoc />
    public override string ViewSource(string name, bool isView) => DuckDbSql.Quote(name);

    /// <inheritdoc />
    public override async ValueTask EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(selectSql);
        await RunAsync(
            create: true,
            $"creating view '{name}'",
            name,
            connection =>
            {
                using var transaction = connection!.BeginTransaction();
                Execute(connection, $"CREATE OR REPLACE VIEW {DuckDbSql.Quote(name)} AS {selectSql}");
                if (!string.IsNullOrWhiteSpace(description))
                {
                    Execute(connection, $"COMMENT ON VIEW {DuckDbSql.Quote(name)} IS {DuckDbSql.Literal(description)}");
                }

                transaction.Commit();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        return RunAsync(
            create: false,
            "running a query",
            table: null,
            connection =>
            {
                var rows = new QueryRowCollector(maxRows);
                var truncated = Query(RequireFile(connection), sql, rows, maxRows, cancellationToken);
                return rows.ToResult(truncated);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<string>> QueryStreamAsync(string sql, QueryRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(sink);
        return RunAsync(
            create: false,
            "running a query",
            table: null,
            connection =>
            {
                Query(RequireFile(connection), sql, sink, maxRows: null, cancellationToken);
                return (IReadOnlyList<string>)[];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) =>
        Filtered(table, conditions, "deleting rows of", count: false, where => $"DELETE FROM {DuckDbSql.Quote(table.Name)}{where}", cancellationToken);

    /// <inheritdoc />
    public override ValueTask<long> CountAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default) =>
        Filtered(table, conditions, "counting rows of", count: true, where => $"SELECT count(*) FROM {DuckDbSql.Quote(table.Name)}{where}", cancellationToken);

    /// <summary>Deletes at most <paramref name="maxRows"/> rows dated before <paramref name="cutoff"/>, chosen by their row ids.</summary>
    public override ValueTask<long> DeleteBatchAsync(TableSchema table, string column, object cutoff, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        ArgumentNullException.ThrowIfNull(cutoff);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var name = DuckDbSql.Quote(table.Name);
        return Filtered(
            table,
            [new RowCondition(column, ConditionOperator.Less, cutoff)],
            "deleting old rows of",
            count: false,
            where => string.Create(CultureInfo.InvariantCulture, $"DELETE FROM {name} WHERE rowid IN (SELECT rowid FROM {name}{where} LIMIT {maxRows})"),
            cancellationToken);
    }

    /// <summary>Runs a delete (rows affected) or a <paramref name="count"/> (its scalar) over the rows matching the conditions; 0 when the table does not exist.</summary>
    private ValueTask<long> Filtered(TableSchema table, IReadOnlyList<RowCondition> conditions, string what, bool count, Func<string, string> statement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        return RunAsync(
            create: false,
            $"{what} table '{table.Name}'",
            table.Name,
            connection =>
            {
                if (connection is null || !_shapes.Exists(connection, table.Name))
                {
                    return 0L;
                }

                using var command = connection.CreateCommand();
                command.CommandText = statement(Where(command, table, conditions));
                return count
                    ? Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture)
                    : command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask<T> RunAsync<T>(bool create, string what, string? table, Func<DuckDBConnection?, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(Open(create));
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            // DuckDB.NET reports an interrupted statement without the caller's token; give it back.
            throw new OperationCanceledException($"Cancelled while {what} in {DisplayName}.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw new MyBiException(FailureKind.Transient, $"DuckDB interrupted {what} in '{_options.Path}'; run again.", ex) { Stream = table };
        }
        catch (DuckDBException ex)
        {
            throw DuckDbErrors.Failed(what, _options.Path, table, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private DuckDBConnection? Open(bool create)
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var path = _options.Path;
        if (!create && !File.Exists(path))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(path)!;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw MyBiException.Config($"Cannot create the folder '{folder}' for the DuckDB file: {ex.Message}", ex);
        }

        var connection = new DuckDBConnection(new DuckDBConnectionStringBuilder { DataSource = path }.ConnectionString);
        try
        {
            connection.Open();
            DuckDbLockdown.Apply(connection, _options);
        }
        catch (DuckDBException ex)
        {
            connection.Dispose();
            throw DuckDbErrors.Opening(path, ex);
        }
        catch (MyBiException)
        {
            connection.Dispose();
            throw;
        }

        _connection = connection;
        return connection;
    }

    private DuckDBConnection RequireFile(DuckDBConnection? connection) =>
        connection ?? throw MyBiException.Config($"The DuckDB file '{_options.Path}' does not exist yet; run a pipeline that loads it first, or check the destination path.");

    /// <summary>The AND of the conditions as a WHERE clause (empty without conditions), its values added as parameters.</summary>
    private static string Where(DuckDBCommand command, TableSchema table, IReadOnlyList<RowCondition> conditions)
    {
        var where = new List<string>();
        for (var i = 0; i < conditions.Count; i++)
        {
            var condition = conditions[i];
            if (table.IndexOf(condition.Column) < 0)
            {
                throw MyBiException.System($"Table '{table.Name}' has no column '{condition.Column}' to filter by.");
            }

            where.Add($"{DuckDbSql.Quote(condition.Column)} {DuckDbSql.Operator(condition.Operator)} ${i + 1}");
            command.Parameters.Add(new DuckDBParameter(DuckDbValues.ToParameter(condition.Value)));
        }

        return where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
    }

    private static List<object?[]> ReadAll(DuckDBConnection connection, TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DuckDbSql.QuoteList(table.Columns.Select(c => c.Name))} FROM {DuckDbSql.Quote(table.Name)}" + Where(command, table, conditions);
        using var interrupt = cancellationToken.Register(static c => ((DuckDBConnection)c!).NativeConnection.Interrupt(), connection);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[table.Columns.Count];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = DuckDbValues.Read(reader, i, table.Columns[i].Type);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Hands the rows to <paramref name="sink"/> as they stream in; true when more than <paramref name="maxRows"/> existed.</summary>
    private bool Query(DuckDBConnection connection, string sql, QueryRowSink sink, int? maxRows, CancellationToken cancellationToken)
    {
        DuckDbQueryGuard.EnsureSingleSelect(connection, sql);
        using var transaction = connection.BeginTransaction();
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.UseStreamingMode = true;
            using var interrupt = cancellationToken.Register(static c => ((DuckDBConnection)c!).NativeConnection.Interrupt(), connection);
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            sink.OnColumns(columns);
            var count = 0L;
            while (reader.Read())
            {
                if (count == maxRows)
                {
                    return true;
                }

                var row = new object?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = DuckDbValues.ReadAny(reader, i);
                }

                sink.OnRow(row);
                count++;
            }

            return false;
        }
        catch (DuckDBException ex)
        {
            throw DuckDbErrors.Query(_options.Path, ex);
        }
        finally
        {
            // Queries never change anything: whatever a statement did inside this transaction is undone.
            transaction.Rollback();
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
