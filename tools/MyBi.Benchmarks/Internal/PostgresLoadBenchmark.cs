using System.Diagnostics;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Destinations.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// PostgreSQL: (a) the engine's merge path, <see cref="PostgresDestination.WriteAsync"/> batch by batch into a fresh
/// table, and (b) the ceiling, one raw Npgsql binary COPY of the same rows into a plain table.
/// </summary>
internal static class PostgresLoadBenchmark
{
    private const string EngineTable = "bench_engine";
    private const string CeilingTable = "bench_ceiling";

    public static async Task<BenchmarkReport> RunAsync(LoadBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var connectionString = options.ResolveConnectionString();
        await using var destination = new PostgresDestination(new PostgresDestinationOptions
        {
            ConnectionString = connectionString,
            Schema = options.Schema,
        });
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Load benchmark: {destination.DisplayName}, {options.Rows:N0} rows × {BenchmarkRows.Schema("x").Columns.Count} columns, engine batches of {options.BatchSize:N0} rows").ConfigureAwait(false);

        var sql = new Sql(dataSource, options.Schema);
        await sql.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {sql.Schema}", cancellationToken).ConfigureAwait(false);

        // Both paths run on a few rows first, so that neither pays for first connections or JIT compilation.
        var warmUp = new LoadBenchmarkOptions { Rows = WarmUp.Rows, BatchSize = WarmUp.BatchSize, Seed = options.Seed, Schema = options.Schema };
        await WarmUp.RunAsync(() => RunBothAsync(destination, dataSource, sql, warmUp, memory: null, cancellationToken), cancellationToken).ConfigureAwait(false);

        var memory = new MemoryProbe();
        await sql.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        destination.Timings.Reset();
        var (engine, ceiling) = await RunBothAsync(destination, dataSource, sql, options, memory, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  ceiling  raw binary COPY into a plain table (a COPY per batch): {Throughput(options.Rows, ceiling)}").ConfigureAwait(false);
        var copy = destination.Timings.Copy;
        var merge = destination.Timings.Merge;
        var direct = destination.Timings.DirectBatches;
        var batches = destination.Timings.Batches;
        var inTable = (long)(await sql.ScalarAsync($"SELECT count(DISTINCT id) FROM {sql.Table(EngineTable)}", cancellationToken).ConfigureAwait(false))!;
        await output.WriteLineAsync($"  engine   PostgresDestination.WriteAsync (merge, new keys): {Throughput(options.Rows, engine)}  = {Rows(options.Rows, engine) / Rows(options.Rows, ceiling):0.00}× ceiling").ConfigureAwait(false);
        await output.WriteLineAsync($"           COPY {copy.TotalSeconds:0.00} s ({Rows(options.Rows, copy):N0} rows/s = {Rows(options.Rows, copy) / Rows(options.Rows, ceiling):0.00}× ceiling), merge + commit {merge.TotalSeconds:0.00} s ({merge / engine:P0} of engine time); {direct} of {batches} batches copied straight into the table; {inTable:N0} distinct keys in the table").ConfigureAwait(false);

        // The same rows again, every key in the table and every value as it is (a lookback or a reconciliation
        // reload of unchanged records), then the same keys with other values (every row changed).
        var (identical, identicalCeiling) = await RunReloadAsync(destination, dataSource, sql, options, options.Seed, "identical values", output, cancellationToken).ConfigureAwait(false);
        var (updates, updateCeiling) = await RunReloadAsync(destination, dataSource, sql, options, options.Seed + 1, "every row changed", output, cancellationToken).ConfigureAwait(false);

        if (!options.KeepTables)
        {
            await sql.ExecuteAsync($"DROP TABLE IF EXISTS {sql.Table(EngineTable)}, {sql.Table(CeilingTable)}", cancellationToken).ConfigureAwait(false);
        }

        return new BenchmarkReport
        {
            Destination = BenchmarkDestination.Postgres,
            Target = destination.DisplayName,
            Rows = options.Rows,
            BatchSize = options.BatchSize,
            EngineElapsed = engine,
            CeilingElapsed = ceiling,
            EngineCopyElapsed = copy,
            EngineMergeElapsed = merge,
            EngineIdenticalElapsed = identical,
            IdenticalCeilingElapsed = identicalCeiling,
            EngineUpdateElapsed = updates,
            UpdateCeilingElapsed = updateCeiling,
            RowsInTable = inTable,
            PeakWorkingSetBytes = MemoryProbe.PeakWorkingSetBytes(),
            PeakManagedBytes = memory.PeakManagedBytes,
            PeakGcHeapBytes = memory.PeakGcHeapBytes,
            AllocatedBytes = memory.AllocatedBytes,
        };
    }

    /// <summary>
    /// Loads every generated batch twice, through raw COPY and through the engine. Interleaving the two paths batch
    /// by batch exposes both to the same load of a shared machine. Each raw batch is one COPY completed inside its
    /// timed slice, so the server's work on it is counted there and does not spill into the engine's slice.
    /// </summary>
    private static async Task<(TimeSpan Engine, TimeSpan Ceiling)> RunBothAsync(
        PostgresDestination destination,
        NpgsqlDataSource dataSource,
        Sql sql,
        LoadBenchmarkOptions options,
        MemoryProbe? memory,
        CancellationToken cancellationToken)
    {
        var engineSchema = BenchmarkRows.Schema(EngineTable);
        var ceilingSchema = BenchmarkRows.Schema(CeilingTable);
        var columns = string.Join(", ", ceilingSchema.Columns.Select(c => $"{Sql.Quote(c.Name)} {SqlType(c.Type)}"));
        await sql.ExecuteAsync(
            $"DROP TABLE IF EXISTS {sql.Table(EngineTable)}, {sql.Table(CeilingTable)}; CREATE TABLE {sql.Table(CeilingTable)} ({columns})",
            cancellationToken).ConfigureAwait(false);
        await destination.EnsureTableAsync(engineSchema, cancellationToken).ConfigureAwait(false);
        var types = ceilingSchema.Columns.Select(c => c.Type).ToArray();
        var copy = $"COPY {sql.Table(CeilingTable)} FROM STDIN (FORMAT BINARY)";

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await Interleaved.RunAsync(
            BenchmarkRows.Batches(options.Rows, options.BatchSize, options.Seed),
            batch => destination.WriteAsync(new RecordBatch(engineSchema, batch), WriteMode.Merge, cancellationToken).AsTask(),
            batch => CopyBatchAsync(connection, copy, types, batch, cancellationToken),
            memory).ConfigureAwait(false);
    }

    /// <summary>
    /// Merges the rows of <paramref name="seed"/> over the keys already loaded and prints the outcome, interleaved
    /// like the first pass with a raw COPY of the same rows into a fresh plain table, so this pass has a ceiling
    /// measured under the same conditions.
    /// </summary>
    private static async Task<(TimeSpan Engine, TimeSpan Ceiling)> RunReloadAsync(
        PostgresDestination destination,
        NpgsqlDataSource dataSource,
        Sql sql,
        LoadBenchmarkOptions options,
        int seed,
        string label,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        await sql.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        destination.Timings.Reset();
        var schema = BenchmarkRows.Schema(EngineTable);
        var types = schema.Columns.Select(c => c.Type).ToArray();
        var columns = string.Join(", ", schema.Columns.Select(c => $"{Sql.Quote(c.Name)} {SqlType(c.Type)}"));
        await sql.ExecuteAsync(
            $"DROP TABLE IF EXISTS {sql.Table(CeilingTable)}; CREATE TABLE {sql.Table(CeilingTable)} ({columns})",
            cancellationToken).ConfigureAwait(false);
        var copy = $"COPY {sql.Table(CeilingTable)} FROM STDIN (FORMAT BINARY)";
        var walBefore = await sql.ScalarAsync("SELECT pg_current_wal_lsn()::text", cancellationToken).ConfigureAwait(false);
        TimeSpan engine, ceiling;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            (engine, ceiling) = await Interleaved.RunAsync(
                BenchmarkRows.Batches(options.Rows, options.BatchSize, seed),
                batch => destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Merge, cancellationToken).AsTask(),
                batch => CopyBatchAsync(connection, copy, types, batch, cancellationToken),
                memory: null).ConfigureAwait(false);
        }

        // WAL written by both paths of the pass; the ceiling's share is about the size of its table.
        var wal = (decimal)(await sql.ScalarAsync($"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{walBefore}')", cancellationToken).ConfigureAwait(false))!;
        var ceilingBytes = (long)(await sql.ScalarAsync($"SELECT pg_total_relation_size('{sql.Table(CeilingTable)}')", cancellationToken).ConfigureAwait(false))!;
        var stagingCopy = destination.Timings.Copy;
        var upsert = destination.Timings.Merge;
        await output.WriteLineAsync($"  engine   PostgresDestination.WriteAsync (merge, every key exists, {label}): {Throughput(options.Rows, engine)}  = {ceiling / engine:0.00}× the ceiling of this pass ({Rows(options.Rows, ceiling):N0} rows/s)").ConfigureAwait(false);
        await output.WriteLineAsync($"           COPY into staging {stagingCopy.TotalSeconds:0.00} s ({ceiling / stagingCopy:0.00}× ceiling), upsert + commit {upsert.TotalSeconds:0.00} s ({upsert / engine:P0} of the time); WAL of the pass {wal / 1048576m:N0} MB (ceiling table {ceilingBytes / 1048576:N0} MB)").ConfigureAwait(false);
        return (engine, ceiling);
    }

    /// <summary>The raw ceiling for one batch: one binary COPY, completed (so the server has stored every row).</summary>
    private static async Task CopyBatchAsync(NpgsqlConnection connection, string copy, ColumnType[] types, IReadOnlyList<object?[]> batch, CancellationToken cancellationToken)
    {
        var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var row in batch)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var c = 0; c < types.Length; c++)
                {
                    await WriteAsync(importer, types[c], row[c], cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, ColumnType type, object? value, CancellationToken cancellationToken) => value switch
    {
        null => importer.WriteNullAsync(cancellationToken),
        string s when type == ColumnType.Json => importer.WriteAsync(s, NpgsqlDbType.Jsonb, cancellationToken),
        string s => importer.WriteAsync(s, NpgsqlDbType.Text, cancellationToken),
        long l => importer.WriteAsync(l, NpgsqlDbType.Bigint, cancellationToken),
        decimal m => importer.WriteAsync(m, NpgsqlDbType.Numeric, cancellationToken),
        double d => importer.WriteAsync(d, NpgsqlDbType.Double, cancellationToken),
        bool b => importer.WriteAsync(b, NpgsqlDbType.Boolean, cancellationToken),
        DateTimeOffset t => importer.WriteAsync(t.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken),
        DateOnly day => importer.WriteAsync(day, NpgsqlDbType.Date, cancellationToken),
        _ => throw new InvalidOperationException($"The benchmark generated a {value.GetType().Name} for a {type} column."),
    };

    private static string SqlType(ColumnType type) => type switch
    {
        ColumnType.String => "text",
        ColumnType.Int64 => "bigint",
        ColumnType.Decimal => $"numeric({ColumnSchema.DefaultPrecision},{ColumnSchema.DefaultScale})",
        ColumnType.Double => "double precision",
        ColumnType.Boolean => "boolean",
        ColumnType.Timestamp => "timestamp with time zone",
        ColumnType.Date => "date",
        ColumnType.Json => "jsonb",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    private static double Rows(long rows, TimeSpan elapsed) => rows / elapsed.TotalSeconds;

    private static string Throughput(long rows, TimeSpan elapsed) =>
        $"{rows:N0} rows in {elapsed.TotalSeconds:0.00} s = {Rows(rows, elapsed):N0} rows/s";

    /// <summary>The benchmark's own statements, outside the destination under test.</summary>
    private sealed class Sql
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly string _schemaName;

        public Sql(NpgsqlDataSource dataSource, string schema)
        {
            _dataSource = dataSource;
            _schemaName = schema;
        }

        public string Schema => Quote(_schemaName);

        public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public string Table(string table) => Schema + "." + Quote(table);

        public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = _dataSource.CreateCommand(sql);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = _dataSource.CreateCommand(sql);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Flushes what the previous phase left in WAL and buffers, so it does not slow the next one.</summary>
        public async Task CheckpointAsync(CancellationToken cancellationToken)
        {
            if (await ScalarAsync("SELECT current_setting('is_superuser') = 'on'", cancellationToken).ConfigureAwait(false) is true)
            {
                await ExecuteAsync("CHECKPOINT", cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
