using System.Globalization;
using DuckDB.NET.Data;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.DuckDb.Internal;

/// <summary>
/// Writes one batch: the Appender bulk-loads the rows into a temporary staging table, then a single
/// <c>INSERT ... SELECT</c> moves them into the target. That statement is the only one touching the target, so a
/// failure or interruption anywhere leaves the target as it was.
/// <para>
/// A merge of a batch whose single integer keys are distinct and all beyond the table's rows (an initial load,
/// new records: one probe of the key range, which DuckDB answers from its min/max statistics) is a plain insert;
/// the upsert's conflict handling costs several times more. A batch of distinct keys some of which exist skips
/// only the "last row of a key wins" window.
/// </para>
/// </summary>
internal static class DuckDbBatchWriter
{
    private const string StageTable = "__mybi_stage";
    private const string RowColumn = "__mybi_row";
    private const int CancellationCheckInterval = 1024;

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

        var stage = "temp.main." + DuckDbSql.Quote(StageTable);
        var stageColumns = schema.Columns.Select(c => $"{DuckDbSql.Quote(c.Name)} {DuckDbSql.TypeOf(schema.Name, c)}");
        Execute(connection, $"CREATE OR REPLACE TEMP TABLE {DuckDbSql.Quote(StageTable)} ({string.Join(", ", stageColumns)}, {DuckDbSql.Quote(RowColumn)} BIGINT)");
        try
        {
            Stage(connection, batch, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            // DuckDB aborts a statement it is told to interrupt and rolls it back, so cancelling here is safe.
            using var interrupt = cancellationToken.Register(static c => ((DuckDBConnection)c!).NativeConnection.Interrupt(), connection);
            if (mode != WriteMode.Merge)
            {
                Execute(connection, AppendSql(target, schema, stage));
                return;
            }

            var keys = DistinctKeys.Of(schema, batch.Rows);
            if (keys is { Range: var (min, max) } && !AnyKeyBetween(connection, target, schema.PrimaryKey[0], min, max))
            {
                try
                {
                    Execute(connection, InsertSql(target, schema, stage));
                    return;
                }
                catch (DuckDBException ex) when (ex.Message.Contains("Constraint Error", StringComparison.Ordinal))
                {
                    // A key arrived since the probe: the failed statement changed nothing, and the upsert takes over.
                }
            }

            Execute(connection, MergeSql(target, schema, stage, distinctKeys: keys is not null));
        }
        finally
        {
            Execute(connection, $"DROP TABLE IF EXISTS {stage}");
        }
    }

    private static void Stage(DuckDBConnection connection, RecordBatch batch, CancellationToken cancellationToken)
    {
        var columns = batch.Schema.Columns;
        using var appender = connection.CreateAppender("temp", "main", StageTable);
        for (var i = 0; i < batch.Rows.Count; i++)
        {
            if (i % CancellationCheckInterval == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var values = batch.Rows[i];

            // Every value is checked before the row is started, so a bad value never leaves a half-built row
            // behind in the appender (which would fail again when the appender is closed).
            CheckRow(batch.Schema, values, i);
            var row = appender.CreateRow();
            for (var c = 0; c < columns.Count; c++)
            {
                row = AppendValue(row, columns[c].Type, values[c]);
            }

            row.AppendValue((long?)i).EndRow();
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

    private static IDuckDBAppenderRow AppendValue(IDuckDBAppenderRow row, ColumnType type, object? value)
    {
        if (value is null)
        {
            return row.AppendNullValue();
        }

        return type switch
        {
            ColumnType.String or ColumnType.Json => row.AppendValue((string)value),
            ColumnType.Int64 => row.AppendValue((long?)(long)value),
            ColumnType.Decimal => row.AppendValue((decimal?)(decimal)value),
            ColumnType.Double => row.AppendValue((double?)(double)value),
            ColumnType.Boolean => row.AppendValue((bool?)(bool)value),
            ColumnType.Timestamp => row.AppendValue((DateTimeOffset?)(DateTimeOffset)value),
            ColumnType.Date => row.AppendValue((DateOnly?)(DateOnly)value),
            _ => throw MyBiException.System($"Unknown column type {type}."),
        };
    }

    private static bool AnyKeyBetween(DuckDBConnection connection, TableShape target, string key, long min, long max)
    {
        using var command = connection.CreateCommand();
        command.CommandText = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT EXISTS (SELECT 1 FROM {DuckDbSql.Quote(target.Name)} WHERE {DuckDbSql.Quote(key)} BETWEEN {min} AND {max})");
        return command.ExecuteScalar() is true;
    }

    private static string InsertSql(TableShape target, TableSchema schema, string stage)
    {
        var columns = DuckDbSql.QuoteList(schema.Columns.Select(c => c.Name));
        return $"INSERT INTO {DuckDbSql.Quote(target.Name)} ({columns}) SELECT {columns} FROM {stage}";
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

    private static string AppendSql(TableShape target, TableSchema schema, string stage)
    {
        var columns = DuckDbSql.QuoteList(schema.Columns.Select(c => c.Name));
        return $"INSERT INTO {DuckDbSql.Quote(target.Name)} ({columns}) SELECT {columns} FROM {stage} ORDER BY {DuckDbSql.Quote(RowColumn)}";
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
