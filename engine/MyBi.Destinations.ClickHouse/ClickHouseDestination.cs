using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using ClickHouse.Driver.ADO.Parameters;
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
    private readonly ClickHouseEndpoint _endpoint;
    private readonly ClickHouseClient _client;
    private readonly ClickHouseTableDdl _ddl;
    private readonly VersionClock _versions;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _tables = new(StringComparer.Ordinal);
    private volatile bool _databaseReady;

    /// <summary>Creates a destination; nothing connects until the first call.</summary>
    public ClickHouseDestination(ClickHouseDestinationOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parsed = options.Parse();
        _options = options;
        _endpoint = parsed.Endpoint;
        var settings = new ClickHouseClientSettings(parsed.Client)
        {
            // Exact decimals come back as System.Decimal, the contract's type.
            UseCustomDecimals = false,
        };
        _client = new ClickHouseClient(settings);
        _ddl = new ClickHouseTableDdl(options.Database, options.Cluster);
        _versions = new VersionClock(timeProvider ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public override string DisplayName => $"clickhouse://{_endpoint.Address}/{_options.Database}";

    /// <inheritdoc />
    public override async ValueTask CheckAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CheckTimeout);
        try
        {
            await _client.ExecuteScalarAsync("SELECT 1", null!, null!, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw MyBiException.Transient(
                $"ClickHouse at {_endpoint.Address} did not answer within {_options.CheckTimeout.TotalSeconds:0.#} s; check Host and Port in 'connection' and that the server is up.",
                ex);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, "checking the connection", cancellationToken) is { } mapped)
        {
            throw mapped;
        }

        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask EnsureTableAsync(TableSchema table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckColumnNames(table);
        await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        var existing = await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false);
        if (existing.Count == 0)
        {
            foreach (var statement in _ddl.CreateTable(table))
            {
                await ExecuteAsync(statement, $"creating table '{table.Name}'", cancellationToken).ConfigureAwait(false);
            }

            _tables[table.Name] = await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!existing.ContainsKey(ClickHouseSql.VersionColumn))
        {
            throw MyBiException.Config(
                $"Table '{_options.Database}.{table.Name}' exists in ClickHouse but was not created by MyBi (it has no {ClickHouseSql.VersionColumn} column); drop it or load into another database.");
        }

        var added = false;
        foreach (var column in table.Columns)
        {
            if (existing.TryGetValue(column.Name, out var type))
            {
                if (!ClickHouseColumnTypes.IsCompatible(type, column))
                {
                    throw new MyBiException(
                        FailureKind.Config,
                        $"Table '{_options.Database}.{table.Name}' column '{column.Name}' is {ClickHouseColumnTypes.Unwrap(type)} in ClickHouse but the stream now gives {column.Type} ({ClickHouseColumnTypes.BaseType(column)}); change the column by hand or load into a new table.")
                    {
                        Stream = table.Name,
                    };
                }

                continue;
            }

            foreach (var statement in _ddl.AddColumn(table.Name, column))
            {
                await ExecuteAsync(statement, $"adding column '{column.Name}' to table '{table.Name}'", cancellationToken).ConfigureAwait(false);
            }

            added = true;
        }

        _tables[table.Name] = added ? await LoadColumnsAsync(table.Name, cancellationToken).ConfigureAwait(false) : existing;
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var schema = batch.Schema;
        if (mode == WriteMode.Merge && schema.PrimaryKey.Count == 0)
        {
            throw MyBiException.Config($"Table '{schema.Name}' has no primary key, so its rows cannot be merged; write it in append mode.");
        }

        if (batch.Count == 0)
        {
            return;
        }

        var columns = await ColumnsOfAsync(schema.Name, cancellationToken).ConfigureAwait(false);
        var names = new List<string>(schema.Columns.Count + 1);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in schema.Columns)
        {
            if (!columns.TryGetValue(column.Name, out var type))
            {
                throw MyBiException.System($"Table '{_options.Database}.{schema.Name}' has no column '{column.Name}'; EnsureTableAsync must run before writing.");
            }

            var quoted = ClickHouseSql.Identifier(column.Name);
            names.Add(quoted);
            types[quoted] = type;
        }

        var version = ClickHouseSql.Identifier(ClickHouseSql.VersionColumn);
        names.Add(version);
        types[version] = "UInt64";

        for (var offset = 0; offset < batch.Count; offset += _options.BatchSize)
        {
            var count = Math.Min(_options.BatchSize, batch.Count - offset);
            var firstVersion = _versions.Reserve(count);
            var insert = new InsertOptions
            {
                // One INSERT per chunk: splitting it would let a failure commit part of it.
                BatchSize = count,
                MaxDegreeOfParallelism = 1,
                ColumnTypes = types,
                CustomSettings = InsertSettings(mode, count),
            };
            try
            {
                await _client.InsertBinaryAsync(
                    ClickHouseSql.Table(_options.Database, schema.Name),
                    names,
                    Rows(batch, offset, count, firstVersion),
                    insert,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, $"writing table '{schema.Name}'", cancellationToken) is { } mapped)
            {
                throw new MyBiException(mapped.Kind, mapped.Message, ex) { Stream = schema.Name };
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<object?[]> ReadTableAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sql = "SELECT " + string.Join(", ", table.Columns.Select(c => ClickHouseSql.Identifier(c.Name)))
            + " FROM " + ClickHouseSql.Table(_options.Database, table.Name)
            + (table.PrimaryKey.Count > 0 ? " FINAL" : "");
        var operation = $"reading table '{table.Name}'";
        var reader = await OpenReaderAsync(sql, null, null, operation, false, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken) is { } mapped)
                {
                    throw mapped;
                }

                var row = new object?[table.Columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = ClickHouseValues.FromDriver(reader.GetValue(i), table.Columns[i]);
                }

                yield return row;
            }
        }
    }

    /// <inheritdoc />
    public override async ValueTask<bool> TableExistsAsync(string table, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        var parameters = new ClickHouseParameterCollection
        {
            new ClickHouseDbParameter { ParameterName = "database", Value = _options.Database },
            new ClickHouseDbParameter { ParameterName = "table", Value = table },
        };
        try
        {
            var count = await _client.ExecuteScalarAsync(
                "SELECT count() FROM system.tables WHERE database = {database:String} AND name = {table:String}",
                parameters,
                null!,
                cancellationToken).ConfigureAwait(false);
            return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, $"looking up table '{table}'", cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<QueryResult> QueryAsync(string sql, int maxRows, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRows);
        var options = new QueryOptions
        {
            // Unqualified names resolve in the destination's database; readonly=1 makes the server refuse writes,
            // table functions that reach files or other servers (file, url, remote, s3...) and any SETTINGS clause
            // that would lift these limits; final=1 reads every ReplacingMergeTree table as if with FINAL, so a
            // query sees one row per key; max_execution_time ends a runaway query on the server.
            Database = _options.Database,
            CustomSettings = new Dictionary<string, object>
            {
                ["readonly"] = 1,
                ["final"] = 1,
                ["max_execution_time"] = (long)_options.QueryTimeout.TotalSeconds,
            },
        };
        const string Operation = "running a query";
        var reader = await OpenReaderAsync(sql, null, options, Operation, true, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var rows = new List<object?[]>();
            var truncated = false;
            try
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (rows.Count == maxRows)
                    {
                        truncated = true;
                        break;
                    }

                    var row = new object?[columns.Length];
                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = ClickHouseValues.FromQuery(reader.GetValue(i));
                    }

                    rows.Add(row);
                }
            }
            catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, Operation, cancellationToken, userSql: true) is { } mapped)
            {
                throw mapped;
            }

            return new QueryResult(columns, rows, truncated);
        }
    }

    /// <summary>
    /// Deletes the current rows matching every condition. With a primary key, every stored version of each matching
    /// key goes (a delete of the newest version alone would bring an older one back); the delete is a lightweight
    /// DELETE, so rows disappear from reads at once and from disk at the next merge. Returns the number of rows
    /// (keys) deleted.
    /// </summary>
    public override async ValueTask<long> DeleteAsync(TableSchema table, IReadOnlyList<RowCondition> conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(conditions);
        var parameters = new ClickHouseParameterCollection();
        var where = new List<string>();
        foreach (var condition in conditions)
        {
            var index = table.IndexOf(condition.Column);
            if (index < 0)
            {
                throw MyBiException.System($"Cannot delete from table '{table.Name}': it has no column '{condition.Column}'.");
            }

            var column = table.Columns[index];
            var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new ClickHouseDbParameter { ParameterName = name, Value = ClickHouseValues.ToDriver(condition.Value, column) });
            var op = condition.Operator switch
            {
                ConditionOperator.Equal => "=",
                ConditionOperator.NotEqual => "<>",
                ConditionOperator.GreaterOrEqual => ">=",
                ConditionOperator.LessOrEqual => "<=",
                ConditionOperator.Less => "<",
                _ => throw new ArgumentOutOfRangeException(nameof(conditions), condition.Operator, "Unknown condition operator."),
            };
            where.Add($"{ClickHouseSql.Identifier(column.Name)} {op} {{{name}:{ClickHouseColumnTypes.BaseType(column)}}}");
        }

        var filter = where.Count == 0 ? "1" : string.Join(" AND ", where);
        var storage = ClickHouseSql.Table(_options.Database, _ddl.StorageTable(table.Name));
        var keyed = table.PrimaryKey.Count > 0;
        var operation = $"deleting rows of table '{table.Name}'";
        var counted = await ScalarAsync(
            $"SELECT count() FROM {ClickHouseSql.Table(_options.Database, table.Name)}{(keyed ? " FINAL" : "")} WHERE {filter}",
            parameters,
            operation,
            cancellationToken).ConfigureAwait(false);
        var count = Convert.ToInt64(counted, CultureInfo.InvariantCulture);
        if (count == 0)
        {
            return 0;
        }

        var predicate = filter;
        if (keyed)
        {
            var key = "(" + string.Join(", ", table.PrimaryKey.Select(ClickHouseSql.Identifier)) + ")";
            predicate = $"{key} IN (SELECT {key} FROM {storage} FINAL WHERE {filter})";
        }

        try
        {
            await _client.ExecuteNonQueryAsync($"DELETE FROM {storage}{_ddl.OnClusterClause} WHERE {predicate}", parameters, null!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken) is { } mapped)
        {
            throw new MyBiException(mapped.Kind, mapped.Message, ex) { Stream = table.Name };
        }

        return count;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private IEnumerable<object?[]> Rows(RecordBatch batch, int offset, int count, ulong firstVersion)
    {
        var columns = batch.Schema.Columns;
        for (var i = 0; i < count; i++)
        {
            var source = batch.Rows[offset + i];
            if (source.Length != columns.Count)
            {
                throw MyBiException.System($"A row of table '{batch.Schema.Name}' has {source.Length} values for {columns.Count} columns.");
            }

            var row = new object?[columns.Count + 1];
            for (var c = 0; c < columns.Count; c++)
            {
                row[c] = ClickHouseValues.ToDriver(source[c], columns[c]);
            }

            // Later rows of the batch get higher versions, so the last row of a repeated key wins.
            row[columns.Count] = firstVersion + (ulong)i;
            yield return row;
        }
    }

    private Dictionary<string, object> InsertSettings(WriteMode mode, int rows)
    {
        var settings = new Dictionary<string, object>(StringComparer.Ordinal);
        if (rows > 1_000_000)
        {
            // Keep the whole INSERT in one block, hence one part, so that it commits whole or not at all.
            settings["max_insert_block_size"] = rows;
        }

        if (_ddl.ClusterMode)
        {
            // Report success only once the shards have the rows, not when they are queued on the node we talk to.
            settings["distributed_foreground_insert"] = 1;
            if (mode == WriteMode.Append)
            {
                // Replicated tables drop an INSERT identical to a recent one; appended duplicates are meant.
                settings["insert_deduplicate"] = 0;
            }
        }

        return settings;
    }

    private async ValueTask EnsureDatabaseAsync(CancellationToken cancellationToken)
    {
        if (_databaseReady)
        {
            return;
        }

        await ExecuteAsync(_ddl.CreateDatabase(), $"creating database '{_options.Database}'", cancellationToken).ConfigureAwait(false);
        _databaseReady = true;
    }

    private async ValueTask<IReadOnlyDictionary<string, string>> ColumnsOfAsync(string table, CancellationToken cancellationToken)
    {
        if (_tables.TryGetValue(table, out var columns))
        {
            return columns;
        }

        columns = await LoadColumnsAsync(table, cancellationToken).ConfigureAwait(false);
        if (columns.Count == 0)
        {
            throw MyBiException.System($"Table '{_options.Database}.{table}' does not exist; EnsureTableAsync must run before writing.");
        }

        _tables[table] = columns;
        return columns;
    }

    private async ValueTask<IReadOnlyDictionary<string, string>> LoadColumnsAsync(string table, CancellationToken cancellationToken)
    {
        var parameters = new ClickHouseParameterCollection
        {
            new ClickHouseDbParameter { ParameterName = "database", Value = _options.Database },
            new ClickHouseDbParameter { ParameterName = "table", Value = table },
        };
        var operation = $"reading the columns of table '{table}'";
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = await OpenReaderAsync(
            "SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String} ORDER BY position",
            parameters,
            null,
            operation,
            false,
            cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    columns[reader.GetString(0)] = reader.GetString(1);
                }
            }
            catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken) is { } mapped)
            {
                throw mapped;
            }
        }

        return columns;
    }

    private async ValueTask<object?> ScalarAsync(string sql, ClickHouseParameterCollection parameters, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ExecuteScalarAsync(sql, parameters, null!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    private async ValueTask ExecuteAsync(string sql, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await _client.ExecuteNonQueryAsync(sql, null!, null!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    private async ValueTask<System.Data.Common.DbDataReader> OpenReaderAsync(
        string sql,
        ClickHouseParameterCollection? parameters,
        QueryOptions? options,
        string operation,
        bool userSql,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _client.ExecuteReaderAsync(sql, parameters!, options!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ClickHouseErrors.Map(ex, _endpoint, operation, cancellationToken, userSql) is { } mapped)
        {
            throw mapped;
        }
    }

    private static void CheckColumnNames(TableSchema table)
    {
        if (table.IndexOf(ClickHouseSql.VersionColumn) >= 0)
        {
            throw MyBiException.Config($"Table '{table.Name}' has a column named {ClickHouseSql.VersionColumn}, which the ClickHouse destination reserves for row versions; rename it in the stream.");
        }
    }
}
