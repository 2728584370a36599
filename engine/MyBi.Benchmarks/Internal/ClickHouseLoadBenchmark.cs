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
/// fresh table, and (b) the ceiling, raw ClickHouse.Driver <c>InsertBinaryAsync</c> of the same batches into a
/// plain MergeTree table.
/// </summary>
internal static class ClickHouseLoadBenchmark
{
    private const string EngineTable = "bench_engine";
    private const string CeilingTable = "bench_ceiling";
    private const int WarmUpRows = 5_000;

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

        await RunEngineAsync(destination, client, database, "bench_warmup_engine", Math.Min(WarmUpRows, options.Rows), options.BatchSize, options.Seed, null, cancellationToken).ConfigureAwait(false);
        await RunCeilingAsync(client, database, "bench_warmup_ceiling", Math.Min(WarmUpRows, options.Rows), options.BatchSize, options.Seed, null, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote("bench_warmup_engine")}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote("bench_warmup_ceiling")}", cancellationToken).ConfigureAwait(false);

        var memory = new MemoryProbe();
        var ceiling = await RunCeilingAsync(client, database, CeilingTable, options.Rows, options.BatchSize, options.Seed, memory, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  ceiling  raw InsertBinaryAsync into a MergeTree table: {Throughput(options.Rows, ceiling)}").ConfigureAwait(false);
        var engine = await RunEngineAsync(destination, client, database, EngineTable, options.Rows, options.BatchSize, options.Seed, memory, cancellationToken).ConfigureAwait(false);
        var inTable = Convert.ToInt64(
            await client.ExecuteScalarAsync($"SELECT count() FROM {database}.{Quote(EngineTable)} FINAL", null!, null!, cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        await output.WriteLineAsync($"  engine   ClickHouseDestination.WriteAsync (merge):  {Throughput(options.Rows, engine)}  = {ceiling / engine:0.00}× ceiling; {inTable:N0} keys in the table").ConfigureAwait(false);

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

    private static async Task<TimeSpan> RunEngineAsync(
        ClickHouseDestination destination,
        ClickHouseClient client,
        string database,
        string table,
        long rows,
        int batchSize,
        int seed,
        MemoryProbe? memory,
        CancellationToken cancellationToken)
    {
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote(table)}", cancellationToken).ConfigureAwait(false);
        var schema = BenchmarkRows.Schema(table);
        await destination.EnsureTableAsync(schema, cancellationToken).ConfigureAwait(false);
        var elapsed = 0L;
        foreach (var batch in BenchmarkRows.Batches(rows, batchSize, seed))
        {
            var started = Stopwatch.GetTimestamp();
            await destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Merge, cancellationToken).ConfigureAwait(false);
            elapsed += Stopwatch.GetTimestamp() - started;
            memory?.Sample();
        }

        return Stopwatch.GetElapsedTime(0, elapsed);
    }

    private static async Task<TimeSpan> RunCeilingAsync(
        ClickHouseClient client,
        string database,
        string table,
        long rows,
        int batchSize,
        int seed,
        MemoryProbe? memory,
        CancellationToken cancellationToken)
    {
        var schema = BenchmarkRows.Schema(table);
        var types = schema.Columns.ToDictionary(c => c.Name, c => c.Nullable ? $"Nullable({BaseType(c.Type)})" : BaseType(c.Type), StringComparer.Ordinal);
        var definitions = string.Join(", ", schema.Columns.Select(c => $"{Quote(c.Name)} {types[c.Name]}"));
        await ExecuteAsync(client, $"DROP TABLE IF EXISTS {database}.{Quote(table)}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(client, $"CREATE TABLE {database}.{Quote(table)} ({definitions}) ENGINE = MergeTree ORDER BY tuple()", cancellationToken).ConfigureAwait(false);
        var names = schema.Columns.Select(c => c.Name).ToList();
        var insert = new InsertOptions { BatchSize = batchSize, MaxDegreeOfParallelism = 1, ColumnTypes = types };
        var elapsed = 0L;
        foreach (var batch in BenchmarkRows.Batches(rows, batchSize, seed))
        {
            var started = Stopwatch.GetTimestamp();
            await client.InsertBinaryAsync($"{database}.{Quote(table)}", names, batch.Select(ToDriver), insert, cancellationToken).ConfigureAwait(false);
            elapsed += Stopwatch.GetTimestamp() - started;
            memory?.Sample();
        }

        return Stopwatch.GetElapsedTime(0, elapsed);
    }

    // The driver writes DateTime64 from UTC DateTime values.
    private static object?[] ToDriver(object?[] row)
    {
        var copy = (object?[])row.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is DateTimeOffset instant)
            {
                copy[i] = instant.UtcDateTime;
            }
        }

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
