using System.Globalization;
using ClickHouse.Driver;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;

namespace MyBi.Destinations.ClickHouse.Internal;

/// <summary>
/// Writes a batch as RowBinary INSERTs of at most the configured batch size, each row stamped with a fresh
/// <c>_mybi_version</c>. A merge is a plain INSERT: ReplacingMergeTree keeps the highest version of each key.
/// </summary>
internal sealed class ClickHouseBatchWriter
{
    // The range of Date32, the type of date columns.
    private static readonly DateOnly s_firstDate = new(1900, 1, 1);
    private static readonly DateOnly s_lastDate = new(2299, 12, 31);

    private readonly ClickHouseCommands _commands;
    private readonly ClickHouseTables _tables;
    private readonly ClickHouseTableDdl _ddl;
    private readonly VersionClock _versions;
    private readonly string _database;
    private readonly int _batchSize;

    public ClickHouseBatchWriter(ClickHouseCommands commands, ClickHouseTables tables, ClickHouseTableDdl ddl, VersionClock versions, string database, int batchSize)
    {
        _commands = commands;
        _tables = tables;
        _ddl = ddl;
        _versions = versions;
        _database = database;
        _batchSize = batchSize;
    }

    public async ValueTask WriteAsync(RecordBatch batch, WriteMode mode, CancellationToken cancellationToken)
    {
        var schema = batch.Schema;
        if (mode == WriteMode.Merge && schema.PrimaryKey.Count == 0)
        {
            throw MyBiException.Config($"Table '{schema.Name}' has no primary key, so its rows cannot be merged; write it in append mode.");
        }

        if (batch.Count == 0)
        {
            return;
        }

        var columns = await _tables.ColumnsOfAsync(schema.Name, cancellationToken).ConfigureAwait(false);
        var names = new List<string>(schema.Columns.Count + 1);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in schema.Columns)
        {
            if (!columns.TryGetValue(column.Name, out var type))
            {
                throw MyBiException.System($"Table '{_database}.{schema.Name}' has no column '{column.Name}'; EnsureTableAsync must run before writing.");
            }

            var quoted = ClickHouseSql.Identifier(column.Name);
            names.Add(quoted);
            types[quoted] = type;
        }

        var version = ClickHouseSql.Identifier(ClickHouseSql.VersionColumn);
        names.Add(version);
        types[version] = "UInt64";

        CheckValues(batch);
        var table = ClickHouseSql.Table(_database, schema.Name);
        var conversions = RowConversion.For(schema);
        var operation = $"writing table '{schema.Name}'";
        for (var offset = 0; offset < batch.Count; offset += _batchSize)
        {
            var count = Math.Min(_batchSize, batch.Count - offset);
            var firstVersion = _versions.Reserve(count);
            var insert = new InsertOptions
            {
                // One INSERT per chunk: splitting it would let a failure commit part of it.
                BatchSize = count,
                MaxDegreeOfParallelism = 1,
                ColumnTypes = types,
                CustomSettings = InsertSettings(mode, count),
            };
            var rows = Rows(batch, offset, count, firstVersion, conversions);
            await _commands.RunAsync(
                (client, ct) => client.InsertBinaryAsync(table, names, rows, insert, ct),
                operation,
                cancellationToken,
                stream: schema.Name).ConfigureAwait(false);
        }
    }

    private static IEnumerable<object?[]> Rows(RecordBatch batch, int offset, int count, ulong firstVersion, RowConversion conversions)
    {
        var columns = batch.Schema.Columns.Count;
        for (var i = 0; i < count; i++)
        {
            var source = batch.Rows[offset + i];
            if (source.Length != columns)
            {
                throw MyBiException.System($"A row of table '{batch.Schema.Name}' has {source.Length} values for {columns} columns.");
            }

            var row = new object?[columns + 1];
            conversions.Apply(source, row);

            // Later rows of the batch get higher versions, so the last row of a repeated key wins.
            row[columns] = firstVersion + (ulong)i;
            yield return row;
        }
    }

    /// <summary>
    /// Why a column cannot hold a value: a decimal with more integer digits than its column (ClickHouse stores a
    /// Decimal(P, S) in an integer wider than P digits and takes such a value without a word, where PostgreSQL and
    /// DuckDB refuse it), or a date outside Date32's range (the driver fails the INSERT halfway with a bare
    /// serialization error); null when it can.
    /// </summary>
    public static string? ValueProblem(ColumnSchema column, object? value) => value switch
    {
        decimal amount when column.Type == ColumnType.Decimal && !column.Holds(amount) =>
            string.Create(CultureInfo.InvariantCulture, $"{amount} does not fit its column Decimal({column.Precision}, {column.Scale})"),
        DateOnly day when column.Type == ColumnType.Date && (day < s_firstDate || day > s_lastDate) =>
            string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd} is outside the dates ClickHouse's Date32 holds ({s_firstDate:yyyy-MM-dd} to {s_lastDate:yyyy-MM-dd})"),
        _ => null,
    };

    /// <summary>Refuses, before anything is sent, what the columns cannot hold (<see cref="ValueProblem"/>).</summary>
    private static void CheckValues(RecordBatch batch)
    {
        var schema = batch.Schema;
        for (var c = 0; c < schema.Columns.Count; c++)
        {
            var column = schema.Columns[c];
            if (column.Type is not (ColumnType.Decimal or ColumnType.Date))
            {
                continue;
            }

            for (var i = 0; i < batch.Rows.Count; i++)
            {
                if (ValueProblem(column, batch.Rows[i][c]) is { } refused)
                {
                    throw new MyBiException(FailureKind.Config, $"Row {i} for table '{schema.Name}': the value of '{column.Name}', {refused}.")
                    {
                        Stream = schema.Name,
                    };
                }
            }
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

    /// <summary>
    /// Which columns need a value changed for the driver, worked out once per batch: most columns pass through, so
    /// a row is one array copy plus the few columns that change.
    /// </summary>
    private sealed class RowConversion
    {
        private readonly ColumnSchema[] _converted;
        private readonly int[] _ordinals;

        private RowConversion(ColumnSchema[] converted, int[] ordinals)
        {
            _converted = converted;
            _ordinals = ordinals;
        }

        public static RowConversion For(TableSchema schema)
        {
            var converted = new List<ColumnSchema>();
            var ordinals = new List<int>();
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                if (ClickHouseValues.NeedsConversion(schema.Columns[c]))
                {
                    converted.Add(schema.Columns[c]);
                    ordinals.Add(c);
                }
            }

            return new RowConversion([.. converted], [.. ordinals]);
        }

        public void Apply(object?[] source, object?[] row)
        {
            Array.Copy(source, row, source.Length);
            for (var i = 0; i < _ordinals.Length; i++)
            {
                var c = _ordinals[i];
                row[c] = ClickHouseValues.ToDriver(source[c], _converted[i]);
            }
        }
    }
}
