using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Writes one batch as one transaction, so a failure or interruption anywhere leaves the target as it was.
/// <para>
/// Rows whose keys the table does not hold yet (an initial load, new records) are appended straight into the target
/// by the Appender: no staging table to create, fill, read and drop, and no conflict handling, which costs several
/// times more. Whether any key exists is asked first by the batch's key range (DuckDB answers from its min/max
/// statistics), and only when the range meets the table's rows by the keys themselves. Rows of existing keys, and
/// batches whose keys are not distinct single integers, go through a temporary staging table and one
/// <c>INSERT ... SELECT ... ON CONFLICT</c>, where the last row of a key within the batch wins.
/// </para>
/// </summary>
internal static class DuckDbBatchWriter
{
    private const string StageTable = "__mybi_stage";
    private const string RowColumn = "__mybi_row";
    private const int CancellationCheckInterval = 1024;

    // Keys asked for in one statement when the batch's range meets the table's rows; a literal list this long parses in well under a millisecond.
    private const int KeyLookupChunk = 2048;

    // Rows merged as one statement of values rather than through a staging table; a statement of this many rows
    // binds a few thousand parameters at most.
    private const int ValuesMergeRows = 64;

    // An Appender flushes on its own once it holds this many rows (DuckDB's flush count, 100 vectors of 2,048).
    private const int AppenderFlushRows = 100 * 2048;

    public static void Write(DuckDBConnection connection, TableShape target, RecordBatch batch, WriteMode mode, CancellationToken cancellationToken)
    {
        var schema = batch.Schema;
        if (mode == WriteMode.Merge && schema.PrimaryKey.Count == 0)
        {
            throw new MyBiException(FailureKind.System, $"Table '{schema.Name}' has no primary key, so its rows cannot be merged; write it in Append mode.")
            {
                Stream = schema.Name,
            };
        }

        // Every value is checked before anything is written, so a bad value never leaves a half-built row behind
        // in an appender (which would fail again when the appender is closed).
        for (var i = 0; i < batch.Rows.Count; i++)
        {
            CheckRow(schema, batch.Rows[i], i);
        }

        // DuckDB aborts a statement it is told to interrupt and rolls it back, so cancelling a statement is safe.
        using var interrupt = cancellationToken.Register(static c => ((DuckDBConnection)c!).NativeConnection.Interrupt(), connection);
        if (mode != WriteMode.Merge)
        {
            AppendAtomically(connection, target, schema, batch.Rows, cancellationToken);
            return;
        }

        var keys = DistinctKeys.Of(schema, batch.Rows);
        if (keys is null)
        {
            InTransaction(connection, () => StageAndMerge(connection, target, schema, batch.Rows, distinctKeys: false, cancellationToken));
            return;
        }

        var existing = ExistingKeys(connection, target, schema.PrimaryKey[0], keys);
        if (existing.Count == 0)
        {
            try
            {
                AppendAtomically(connection, target, schema, batch.Rows, cancellationToken);
                return;
            }
            catch (DuckDBException ex) when (IsConstraintError(ex))
            {
                // A key arrived since the lookup: the transaction was rolled back, and the upsert takes over.
                existing = ExistingKeys(connection, target, schema.PrimaryKey[0], keys, forceLookup: true);
            }
        }

        var keyIndex = schema.IndexOf(schema.PrimaryKey[0]);
        var fresh = new List<object?[]>(batch.Rows.Count - Math.Min(existing.Count, batch.Rows.Count));
        var known = new List<object?[]>(Math.Min(existing.Count, batch.Rows.Count));
        foreach (var row in batch.Rows)
        {
            (existing.Contains((long)row[keyIndex]!) ? known : fresh).Add(row);
        }

        InTransaction(
            connection,
            () =>
            {
                Append(connection, target, schema, fresh, cancellationToken);
                StageAndMerge(connection, target, schema, known, distinctKeys: true, cancellationToken);
            });
    }

    private static void InTransaction(DuckDBConnection connection, Action work)
    {
        using var transaction = connection.BeginTransaction();
        try
        {
            work();
            transaction.Commit();
        }
        catch
        {
            TryRollback(transaction);
            throw;
        }
    }

    private static void TryRollback(System.Data.Common.DbTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (DuckDBException)
        {
            // A transaction DuckDB has already aborted (a failed append) has nothing left to undo.
        }
        catch (InvalidOperationException)
        {
            // Already finished.
        }
    }

    private static bool IsConstraintError(DuckDBException ex) =>
        ex.Message.Contains("Constraint Error", StringComparison.Ordinal) || ex.Message.Contains("PRIMARY KEY", StringComparison.Ordinal);

    /// <summary>
    /// Appends rows as one transaction. An Appender outside a transaction flushes its rows when it is closed as one
    /// statement that commits on its own, all or nothing; that saves the two statements of an explicit transaction,
    /// which cost as much as appending a few dozen rows (a webhook commit, a small batch). Only more rows than the
    /// Appender holds before flushing on its own need the explicit transaction.
    /// </summary>
    private static void AppendAtomically(DuckDBConnection connection, TableShape target, TableSchema schema, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count < AppenderFlushRows)
        {
            Append(connection, target, schema, rows, cancellationToken);
        }
        else
        {
            InTransaction(connection, () => Append(connection, target, schema, rows, cancellationToken));
        }
    }

    /// <summary>Appends rows in their order through the Appender, into the current transaction if there is one.</summary>
    private static void Append(DuckDBConnection connection, TableShape target, TableSchema schema, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        using var appender = connection.CreateAppender(target.Name);
        try
        {
            WriteRows(appender, schema, rows, Positions(target, schema), rowColumn: false, cancellationToken);
        }
        catch
        {
            // Closing an Appender flushes what it holds, and outside a transaction that commits: a failed batch
            // must leave nothing behind.
            appender.Clear();
            throw;
        }
    }

    /// <summary>
    /// The rows through a temporary staging table and one upsert into the target; the stage is dropped afterwards.
    /// A few rows (the run's bookkeeping, the state, a handful of changed records) go as one upsert of their values
    /// instead: creating, filling and dropping a table cost far more than such a batch itself.
    /// </summary>
    private static void StageAndMerge(DuckDBConnection connection, TableShape target, TableSchema schema, IReadOnlyList<object?[]> rows, bool distinctKeys, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (rows.Count <= ValuesMergeRows)
        {
            MergeValues(connection, target, schema, rows);
            return;
        }

        var stage = "temp.main." + DuckDbSql.Quote(StageTable);
        var stageColumns = schema.Columns.Select(c => $"{DuckDbSql.Quote(c.Name)} {DuckDbSql.TypeOf(schema.Name, c)}");
        Execute(connection, $"CREATE OR REPLACE TEMP TABLE {DuckDbSql.Quote(StageTable)} ({string.Join(", ", stageColumns)}, {DuckDbSql.Quote(RowColumn)} BIGINT)");
        try
        {
            using (var appender = connection.CreateAppender("temp", "main", StageTable))
            {
                WriteRows(appender, schema, rows, [.. Enumerable.Range(0, schema.Columns.Count)], rowColumn: true, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Execute(connection, MergeSql(target, schema, stage, distinctKeys));
        }
        finally
        {
            Execute(connection, $"DROP TABLE IF EXISTS {stage}");
        }
    }

    /// <summary>
    /// One <c>INSERT ... VALUES ... ON CONFLICT</c> of the rows, the last row of a key within the batch winning. Each
    /// value is a parameter cast to its column's type; decimals, timestamps, wall clocks and dates are passed as invariant text so
    /// the cast, not the driver's parameter mapping, decides their exact value (timestamps with an explicit UTC offset,
    /// cut to microseconds as the Appender cuts them).
    /// </summary>
    private static void MergeValues(DuckDBConnection connection, TableShape target, TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        var keyIndexes = schema.PrimaryKey.Select(schema.IndexOf).ToArray();
        var last = new List<object?[]>(rows.Count);
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (!last.Any(kept => SameKey(kept, rows[i], keyIndexes)))
            {
                last.Add(rows[i]);
            }
        }

        last.Reverse();
        var casts = "(" + string.Join(", ", schema.Columns.Select(c => $"CAST(? AS {DuckDbSql.TypeOf(schema.Name, c)})")) + ")";
        var updates = schema.Columns
            .Where(c => !schema.PrimaryKey.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
            .Select(c => $"{DuckDbSql.Quote(c.Name)} = excluded.{DuckDbSql.Quote(c.Name)}")
            .ToList();
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {DuckDbSql.Quote(target.Name)} ({DuckDbSql.QuoteList(schema.Columns.Select(c => c.Name))}) VALUES " +
            string.Join(", ", Enumerable.Repeat(casts, last.Count)) +
            $" ON CONFLICT ({DuckDbSql.QuoteList(schema.PrimaryKey)}) " +
            (updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates));
        foreach (var row in last)
        {
            for (var c = 0; c < row.Length; c++)
            {
                command.Parameters.Add(new DuckDBParameter(ParameterValue(row[c], schema.Columns[c].Type == ColumnType.Json)));
            }
        }

        command.ExecuteNonQuery();
    }

    private static bool SameKey(object?[] a, object?[] b, int[] keyIndexes)
    {
        foreach (var k in keyIndexes)
        {
            if (!Equals(a[k], b[k]))
            {
                return false;
            }
        }

        return true;
    }

    // The value's CLR type was checked against its column by CheckRow.
    private static object ParameterValue(object? value, bool json) => value switch
    {
        null => DBNull.Value,
        string text => Storable(text, json),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset instant => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00",
        DateTime wallClock => wallClock.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>
    /// The text with every U+0000 replaced by U+FFFD, the replacement character: the driver hands DuckDB text as a C
    /// string, which would end at the first U+0000 and silently lose the rest. In a JSON text, the escape of a lone
    /// surrogate is replaced too: DuckDB's JSON stores it but then fails every query that reads the value. The same
    /// instance when there is nothing to replace.
    /// </summary>
    private static string Storable(string text, bool json)
    {
        var storable = text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', '\uFFFD') : text;
        return json ? JsonEscapes.Readable(storable) : storable;
    }

    /// <summary>
    /// The keys of the batch that the table already holds: none when no table row falls within the batch's key
    /// range (the common case of new records), else looked up by the keys themselves.
    /// </summary>
    private static HashSet<long> ExistingKeys(DuckDBConnection connection, TableShape target, string key, DistinctKeys keys, bool forceLookup = false)
    {
        var found = new HashSet<long>();
        var (min, max) = keys.Range;
        if (!forceLookup && !AnyKeyBetween(connection, target, key, min, max))
        {
            return found;
        }

        var quoted = DuckDbSql.Quote(key);
        foreach (var chunk in keys.Keys.Chunk(KeyLookupChunk))
        {
            using var command = connection.CreateCommand();
            var list = new StringBuilder(chunk.Length * 8);
            foreach (var k in chunk)
            {
                list.Append(list.Length == 0 ? "" : ",").Append(k.ToString(CultureInfo.InvariantCulture));
            }

            command.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"SELECT {quoted} FROM {DuckDbSql.Quote(target.Name)} WHERE {quoted} BETWEEN {chunk.Min()} AND {chunk.Max()} AND {quoted} IN ({list})");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(reader.GetInt64(0));
            }
        }

        return found;
    }

    /// <summary>
    /// For each column of the table in its own order, the index of the batch's value for it, or -1 for a column
    /// the batch does not carry (null): columns added later sit at the table's end, wherever the schema names them.
    /// </summary>
    private static int[] Positions(TableShape target, TableSchema schema)
    {
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            byName[schema.Columns[i].Name] = i;
        }

        return [.. target.Order.Select(name => byName.GetValueOrDefault(name, -1))];
    }

    private static void WriteRows(DuckDBAppender appender, TableSchema schema, IReadOnlyList<object?[]> rows, int[] positions, bool rowColumn, CancellationToken cancellationToken)
    {
        var json = positions.Select(p => p >= 0 && schema.Columns[p].Type == ColumnType.Json).ToArray();
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var values = rows[i];
            var row = appender.CreateRow();
            for (var p = 0; p < positions.Length; p++)
            {
                try
                {
                    row = AppendValue(row, positions[p] < 0 ? null : values[positions[p]], json[p]);
                }
                catch (OverflowException ex)
                {
                    // A decimal with more digits than its column holds: the driver refuses it. Data the warehouse refuses
                    // is the user's to fix (a wider column, a rule), as PostgreSQL's data errors are.
                    throw new MyBiException(FailureKind.Config, $"Row {i} for table '{schema.Name}': the value of '{schema.Columns[positions[p]].Name}' does not fit its column ({ex.Message}).", ex)
                    {
                        Stream = schema.Name,
                    };
                }
            }

            if (rowColumn)
            {
                row = row.AppendValue((long?)i);
            }

            row.EndRow();
        }
    }

    private static void CheckRow(TableSchema schema, object?[] values, int index)
    {
        if (values.Length != schema.Columns.Count)
        {
            throw MyBiException.System($"Row {index} for table '{schema.Name}' has {values.Length} values but the table has {schema.Columns.Count} columns.");
        }

        for (var c = 0; c < values.Length; c++)
        {
            var value = values[c];
            var column = schema.Columns[c];
            var fits = value is null || column.Type switch
            {
                ColumnType.String or ColumnType.Json => value is string,
                ColumnType.Int64 => value is long,
                ColumnType.Decimal => value is decimal,
                ColumnType.Double => value is double,
                ColumnType.Boolean => value is bool,
                ColumnType.Timestamp => value is DateTimeOffset,
                ColumnType.LocalDateTime => value is DateTime,
                ColumnType.Date => value is DateOnly,
                _ => false,
            };
            if (!fits)
            {
                throw new MyBiException(
                    FailureKind.System,
                    $"Row {index} for table '{schema.Name}' holds a {value!.GetType().Name} in column '{column.Name}', which is {column.Type}.")
                {
                    Stream = schema.Name,
                };
            }
        }
    }

    // The value's CLR type was checked against its column by CheckRow.
    private static IDuckDBAppenderRow AppendValue(IDuckDBAppenderRow row, object? value, bool json) => value switch
    {
        null => row.AppendNullValue(),
        string text => row.AppendValue(Storable(text, json)),
        long number => row.AppendValue((long?)number),
        decimal number => row.AppendValue((decimal?)number),
        double number => row.AppendValue((double?)number),
        bool flag => row.AppendValue((bool?)flag),
        DateTimeOffset instant => row.AppendValue((DateTimeOffset?)instant),
        DateOnly day => row.AppendValue((DateOnly?)day),

        // Only wall-clock columns hold a DateTime: its reading goes into TIMESTAMP as it is, whatever its kind.
        DateTime wall => row.AppendValue((DateTime?)DateTime.SpecifyKind(wall, DateTimeKind.Unspecified)),
        _ => throw MyBiException.System($"Unsupported value type {value.GetType().Name}."),
    };

    private static bool AnyKeyBetween(DuckDBConnection connection, TableShape target, string key, long min, long max)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT EXISTS (SELECT 1 FROM {DuckDbSql.Quote(target.Name)} WHERE {DuckDbSql.Quote(key)} BETWEEN {min} AND {max})");
        return command.ExecuteScalar() is true;
    }

    private static string MergeSql(TableShape target, TableSchema schema, string stage, bool distinctKeys)
    {
        var columns = DuckDbSql.QuoteList(schema.Columns.Select(c => c.Name));
        var key = DuckDbSql.QuoteList(schema.PrimaryKey);
        var updates = schema.Columns
            .Where(c => !schema.PrimaryKey.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
            .Select(c => $"{DuckDbSql.Quote(c.Name)} = excluded.{DuckDbSql.Quote(c.Name)}")
            .ToList();
        var onConflict = updates.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updates);

        // The last row of a key within the batch wins, so a batch holding a key twice cannot fail the upsert.
        var lastOfKey = distinctKeys ? "" : $"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {DuckDbSql.Quote(RowColumn)} DESC) = 1 ";
        return $"INSERT INTO {DuckDbSql.Quote(target.Name)} ({columns}) SELECT {columns} FROM {stage} " +
            lastOfKey +
            $"ON CONFLICT ({key}) {onConflict}";
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
