using System.Diagnostics;
using System.Globalization;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Destinations.ClickHouse;

namespace MyBi.Benchmarks.Internal;

/// <summary>
/// ClickHouse: (a) the engine's merge path, <see cref="ClickHouseDestination.WriteAsync"/> batch by batch into a
/// fresh table, and (b) the ceiling, raw ClickHouse.Driver <c>InsertBinaryAsync</c> of the same batches into the
/// same kind of table: created by the destination's own DDL (<c>ReplacingMergeTree</c> ordered by the key, with the
/// version column), each row given a version as the engine gives it. A plain <c>MergeTree ORDER BY tuple()</c>
/// would measure the table engine's sorting and version column as if they were the loader's overhead.
/// </summary>
internal static class ClickHouseLoadBenchmark
{
    private const string EngineTable = "bench_engine";
    private const string CeilingTable = "bench_ceiling";
    private const string VersionColumn = "_mybi_version";

    public static async Task<BenchmarkReport> RunAsync(LoadBenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var connectionString = options.ResolveConnectionString();
        await using var destination = new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = connectionString,
            Database = options.Schema,
            BatchSize = Math.Max(options.BatchSize, ClickHouseDestinationOptions.DefaultBatchSize),
        });
        using var client = new ClickHouseClient(new ClickHouseClientSettings(connectionString));
        await destination.CheckAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Load benchmark: {destination.DisplayName}, {options.Rows:N0} rows × {BenchmarkRows.Schema("x").Columns.Count} columns, engine batches of {options.BatchSize:N0} rows").ConfigureAwait(false);

        var database = Quote(options.Schema);
        await ExecuteAsync(client, $"CREATE DATABASE IF NOT EXISTS {database}", cancellationToken).ConfigureAwait(false);

        var warmUp = new LoadBenchmarkOptions { Rows = WarmUp.Rows, BatchSize = WarmUp.BatchSize, Seed = options.Seed, Schema = options.Schema };
        await WarmUp.RunAsync(() => RunBothAsync(destination, client, database, warmUp, memory: null, cancellationToken), cancellationToken).ConfigureAwait(false);

        var memory = new MemoryProbe();
        var (engine, ceiling) = await RunBothAsync(destination, client, database, options, memory, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  ceiling  raw InsertBinaryAsync into the same kind of table (ReplacingMergeTree by key, version column; an INSERT per batch): {Throughput(options.Rows, ceiling)}").ConfigureAwait(false);
        var inTable = Convert.ToInt64(
            await client.ExecuteScalarAsync($"SELECT count() FROM {database}.{Quote(EngineTable)} FINAL", null!, null!, cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        await output.WriteLineAsync($"  engine   ClickHouseDestination.WriteAsync (merge): {Throughput(options.Rows, engine)}  = {ceiling / engine:0.00}× ceiling; {inTable:N0} keys in the table").ConfigureAwait(false);

        if (!options.KeepTables)
        {
            await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote(EngineTable)}", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote(CeilingTable)}", cancellationToken).ConfigureAwait(false);
        }

        return new BenchmarkReport
        {
            Destination = BenchmarkDestination.ClickHouse,
            Target = destination.DisplayName,
            Rows = options.Rows,
            BatchSize = options.BatchSize,
            EngineElapsed = engine,
            CeilingElapsed = ceiling,
            RowsInTable = inTable,
            PeakWorkingSetBytes = MemoryProbe.PeakWorkingSetBytes(),
            PeakManagedBytes = memory.PeakManagedBytes,
            PeakGcHeapBytes = memory.PeakGcHeapBytes,
            AllocatedBytes = memory.AllocatedBytes,
        };
    }

    /// <summary>
    /// Loads every generated batch twice, through raw <c>InsertBinaryAsync</c> and through the engine, alternating
    /// which goes first, with the heap settled before each batch (see the PostgreSQL benchmark).
    /// </summary>
    private static async Task<(TimeSpan Engine, TimeSpan Ceiling)> RunBothAsync(
        ClickHouseDestination destination,
        ClickHouseClient client,
        string database,
        LoadBenchmarkOptions options,
        MemoryProbe? memory,
        CancellationToken cancellationToken)
    {
        var engineSchema = BenchmarkRows.Schema(EngineTable);
        var ceilingSchema = BenchmarkRows.Schema(CeilingTable);
        var types = ceilingSchema.Columns.ToDictionary(c => c.Name, c => c.Nullable ? $"Nullable({BaseType(c.Type)})" : BaseType(c.Type), StringComparer.Ordinal);
        types[VersionColumn] = "UInt64";
        var ceilingTable = $"{database}.{Quote(CeilingTable)}";
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote(EngineTable)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {ceilingTable}", cancellationToken).ConfigureAwait(false);
        await destination.EnsureTableAsync(ceilingSchema, cancellationToken).ConfigureAwait(false);
        await destination.EnsureTableAsync(engineSchema, cancellationToken).ConfigureAwait(false);
        var names = ceilingSchema.Columns.Select(c => c.Name).Append(VersionColumn).ToList();
        var insert = new InsertOptions { BatchSize = options.BatchSize, MaxDegreeOfParallelism = 1, ColumnTypes = types };
        var version = 0UL;

        return await Interleaved.RunAsync(
            BenchmarkRows.Batches(options.Rows, options.BatchSize, options.Seed),
            batch => destination.WriteAsync(new RecordBatch(engineSchema, batch), WriteMode.Merge, cancellationToken).AsTask(),
            batch => client.InsertBinaryAsync(ceilingTable, names, batch.Select(row => ToDriver(row, ++version)), insert, cancellationToken),
            memory).ConfigureAwait(false);
    }

    // The driver writes DateTime64 from UTC DateTime values; the version goes last, as in the engine's table.
    private static object?[] ToDriver(object?[] row, ulong version)
    {
        var copy = new object?[row.Length + 1];
        for (var i = 0; i < row.Length; i++)
        {
            copy[i] = row[i] is DateTimeOffset instant ? instant.UtcDateTime : row[i];
        }

        copy[^1] = version;
        return copy;
    }

    private static string BaseType(ColumnType type) => type switch
    {
        ColumnType.String or ColumnType.Json => "String",
        ColumnType.Int64 => "Int64",
        ColumnType.Decimal => string.Create(CultureInfo.InvariantCulture, $"Decimal({ColumnSchema.DefaultPrecision}, {ColumnSchema.DefaultScale})"),
        ColumnType.Double => "Float64",
        ColumnType.Boolean => "Bool",
        ColumnType.Timestamp => "DateTime64(3, 'UTC')",
        ColumnType.Date => "Date32",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    private static string Quote(string name) => "`" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal) + "`";

    private static Task ExecuteAsync(ClickHouseClient client, string sql, CancellationToken cancellationToken) =>
        client.ExecuteNonQueryAsync(sql, null!, null!, cancellationToken);

    private static string Throughput(long rows, TimeSpan elapsed) =>
        $"{rows:N0} rows in {elapsed.TotalSeconds:0.00} s = {rows / elapsed.TotalSeconds:N0} rows/s";
}
