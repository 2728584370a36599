using System.Runtime.CompilerServices;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Destinations.Postgres.Internal;
using Npgsql;
using NpgsqlTypes;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres;

/// <summary>
/// Writes to tables of one PostgreSQL schema through one <see cref="NpgsqlDataSource"/>. Each batch is one
/// transaction: binary COPY into a temporary staging table and one upsert for merges, binary COPY straight into
/// the table for appends.
/// </summary>
public sealed class PostgresDestination : Destination
{
    // A merge batch's staging table should stay in memory; the 8 MB default makes a 50,000-row batch spill to disk.
    // temp_buffers can only change before the session's first temporary table, hence once per physical connection.
    private const string SessionSetup = "SET temp_buffers = '128MB'";

    private const string TableExistsSql = """
        SELECT EXISTS (
            SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relname = @table AND c.relkind IN ('r', 'p', 'v', 'm', 'f'))
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresEndpoint _endpoint;
    private readonly string _schema;
    private readonly TimeSpan _queryTimeout;
    private readonly PostgresConnectionCheck _check;
    private readonly PostgresErrors _errors;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Table, string Column), byte> _retentionIndexes = new();
    private readonly PostgresTableDdl _ddl;
    private readonly PostgresBatchWriter _writer;

    /// <summary>Creates a destination; it does not connect until first used.</summary>
    public PostgresDestination(PostgresDestinationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Parse();
        _endpoint = settings.Endpoint;
        _schema = settings.Schema;
        _queryTimeout = options.QueryTimeout;
        var builder = new NpgsqlDataSourceBuilder(settings.ConnectionString);
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand(SessionSetup, connection);
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = new NpgsqlCommand(SessionSetup, connection);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            });
        _dataSource = builder.Build();
        _errors = new PostgresErrors(_endpoint);
        _check = new PostgresConnectionCheck(settings.ConnectionString, _endpoint, _schema, options.CheckTimeout, _errors);
        _ddl = new PostgresTableDdl(_dataSource, _schema);
        _writer = new PostgresBatchWriter(_dataSource, _schema);
        DisplayName = $"postgres {_endpoint.Host}:{_endpoint.Port}/{_endpoint.Database} schema {_schema}";
    }

    /// <inheritdoc />
    public override string DisplayName { get; }

    /// <summary>Time spent in COPY versus merge, for the load benchmark.</summary>
    internal PostgresWriteTimings Timings => _writer.Timings;

    /// <inheritdoc />
    public override ValueTask CheckAsync(CancellationToken cancellationToken = default) =>
        new(_check.RunAsync(cancellationToken));

    /// <inheritdoc />
    public override async ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        try
        {
            await _ddl.EnsureAsync(table, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{table.Name}");
        }
    }

    /// <inheritdoc />
    public override string ViewSource(string name, bool isView) => Qualified(_schema, name);

    /// <inheritdoc />
    public override async ValueTask EnsureViewAsync(string name, string selectSql, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(selectSql);
        try
        {
            await _ddl.EnsureViewAsync(name, selectSql, description, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{name}");
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        PostgresTableDdl.CheckNames(batch.Schema);
        try
        {
            var write = mode switch
            {
                WriteMode.Merge => _writer.MergeAsync(batch, cancellationToken),
                WriteMode.Append => _writer.AppendAsync(batch, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown write mode."),
            };
            await write.ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{batch.Schema.Name}");
        }
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ReadWhereAsync(table, [], cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<object?[]> ReadRowsAsync(
        TableSchema table,
        IReadOnlyList<RowCondition> conditions,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        if (!await TableExistsAsync(table.Name, cancellationToken).ConfigureAwait(false))
        {
            yield break;
        }

        await foreach (var row in ReadWhereAsync(table, conditions, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    private async IAsyncEnumerable<object?[]> ReadWhereAsync(
        TableSchema table,
        IReadOnlyList<RowCondition> conditions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PostgresTableDdl.CheckNames(table);
        var name = $"{_schema}.{table.Name}";
        var sql = $"SELECT {List(table.Columns.Select(c => c.Name))} FROM {Qualified(_schema, table.Name)}";
        NpgsqlConnection? connection = null;
        NpgsqlCommand? command = null;
        NpgsqlDataReader? reader = null;
        try
        {
            try
            {
                connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                command = new NpgsqlCommand(sql, connection);
                command.CommandText = sql + PostgresRowDeleter.Where(command, _schema, table, conditions);
                reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
            {
                throw _errors.Map(ex, name);
            }

            while (true)
            {
                object?[] row;
                try
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    row = PostgresValueReader.ReadRow(reader, table.Columns);
                }
                catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
                {
                    throw _errors.Map(ex, name);
                }

                yield return row;
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(TableExistsSql, connection);
            command.Parameters.AddWithValue("schema", NpgsqlDbType.Text, _schema);
            command.Parameters.AddWithValue("table", NpgsqlDbType.Text, table);
            return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{table}");
        }
    }

    /// <inheritdoc />
    public override async ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var rows = new QueryRowCollector(maxRows);
        var (truncated, warnings) = await RunQueryAsync(sql, rows, maxRows, cancellationToken).ConfigureAwait(false);
        return rows.ToResult(truncated, warnings);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<string>> QueryStreamAsync(string sql, QueryRowSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(sink);
        var (_, warnings) = await RunQueryAsync(sql, sink, maxRows: null, cancellationToken).ConfigureAwait(false);
        return warnings;
    }

    private async ValueTask<(bool Truncated, IReadOnlyList<string> Warnings)> RunQueryAsync(string sql, QueryRowSink sink, int? maxRows, CancellationToken cancellationToken)
    {
        var kind = ReadOnlyQuery.Classify(sql, out var statement, out var reason);
        if (kind == ReadOnlyQuery.Kind.Refused)
        {
            throw MyBiException.Config($"The query was refused: {reason}.");
        }

        try
        {
            return await PostgresQueryRunner.RunAsync(_dataSource, _schema, statement, kind, sink, maxRows, _queryTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "57014" && ex.MessageText.Contains("statement timeout", StringComparison.Ordinal))
        {
            throw MyBiException.Config(
                $"The query ran longer than the destination's query_timeout of {_queryTimeout.TotalSeconds:0} s and was cancelled; narrow it, or raise query_timeout in the pipeline's destination.",
                ex);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            var mapped = _errors.Map(ex);

            // The server refused what the user wrote (a function it may not call, for one): not a fault of the engine.
            throw ex is PostgresException && mapped.Kind == FailureKind.System
                ? new MyBiException(FailureKind.Config, mapped.Message, ex) { Detail = mapped.Detail }
                : mapped;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        PostgresTableDdl.CheckNames(table);
        try
        {
            return await PostgresRowDeleter.DeleteAsync(_dataSource, _schema, table, conditions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{table.Name}");
        }
    }

    /// <inheritdoc />
    public override async ValueTask<long> CountAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        PostgresTableDdl.CheckNames(table);
        try
        {
            return await PostgresRowDeleter.CountAsync(_dataSource, _schema, table, conditions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{table.Name}");
        }
    }

    /// <summary>
    /// Deletes at most <paramref name="maxRows"/> rows dated before <paramref name="cutoff"/>, found through an index
    /// on <paramref name="column"/> that the first batch of a table creates.
    /// </summary>
    public override async ValueTask<long> DeleteBatchAsync(TableSchema table, string column, object cutoff, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(column);
        ArgumentNullException.ThrowIfNull(cutoff);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        PostgresTableDdl.CheckNames(table);
        try
        {
            var ensureIndex = _retentionIndexes.TryAdd((table.Name, column), 0);
            return await PostgresRowDeleter.DeleteBatchAsync(_dataSource, _schema, table, column, cutoff, maxRows, ensureIndex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverError(ex))
        {
            throw _errors.Map(ex, $"{_schema}.{table.Name}");
        }
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
