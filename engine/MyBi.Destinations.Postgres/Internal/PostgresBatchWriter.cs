using System.Diagnostics;
using System.Text;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Npgsql;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Writes one batch in one transaction. Merge: binary COPY into a temporary staging table, then a single
/// <c>INSERT … SELECT DISTINCT ON (key) … ON CONFLICT (key) DO UPDATE</c>, so a batch lands whole or not at all and
/// the last row of a repeated key wins. Append: binary COPY straight into the target.
/// </summary>
internal sealed class PostgresBatchWriter
{
    // The DISTINCT ON sort of a batch should stay in memory; SET LOCAL ends with the transaction.
    private const string SessionSettings = "SET LOCAL work_mem = '128MB'";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    public PostgresBatchWriter(NpgsqlDataSource dataSource, string schema)
    {
        _dataSource = dataSource;
        _schema = schema;
    }

    public PostgresWriteTimings Timings { get; } = new();

    public async Task MergeAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        var table = batch.Schema;
        if (table.PrimaryKey.Count == 0)
        {
            throw MyBiException.Config($"Table {_schema}.{table.Name} has no primary key, so its rows cannot be merged; declare x-primary-key or write it in append mode.");
        }

        var target = Qualified(_schema, table.Name);
        var columns = List(table.Columns.Select(c => c.Name));
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await using (var create = new NpgsqlCommand(
            $"{SessionSettings}; CREATE TEMP TABLE {StagingTable} (LIKE {target}, {Quote(ArrivalColumn)} bigint NOT NULL) ON COMMIT DROP",
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var copy = $"COPY {StagingTable} ({columns}, {Quote(ArrivalColumn)}) FROM STDIN (FORMAT BINARY)";
        var keys = RepeatedKeyDetector.For(table);
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false))
        {
            await BinaryRowWriter.WriteAsync(importer, table, batch.Rows, withArrival: true, keys, cancellationToken).ConfigureAwait(false);
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var copied = Stopwatch.GetTimestamp();
        var distinctKeys = keys is { FoundRepeat: false };
        await using (var merge = new NpgsqlCommand(MergeSql(target, table, distinctKeys), connection, transaction))
        {
            await merge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Timings.Add(batch.Count, copied - started, Stopwatch.GetTimestamp() - copied);
    }

    public async Task AppendAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        var table = batch.Schema;
        var target = Qualified(_schema, table.Name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var copy = $"COPY {target} ({List(table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false))
        {
            await BinaryRowWriter.WriteAsync(importer, table, batch.Rows, withArrival: false, keys: null, cancellationToken).ConfigureAwait(false);
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var copied = Stopwatch.GetTimestamp();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Timings.Add(batch.Count, copied - started, Stopwatch.GetTimestamp() - copied);
    }

    /// <summary>
    /// The upsert from staging. <paramref name="distinctKeys"/> says the batch is known to hold every key once, so
    /// the DISTINCT ON sort that keeps the last row of a repeated key is not needed.
    /// </summary>
    internal static string MergeSql(string target, TableSchema table, bool distinctKeys)
    {
        var key = List(table.PrimaryKey);
        var names = table.Columns.Select(c => c.Name).ToList();
        var updated = names.Where(n => !table.PrimaryKey.Contains(n, StringComparer.Ordinal)).ToList();
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(target).Append(" AS t (").Append(List(names)).Append(") ");
        if (distinctKeys)
        {
            sql.Append("SELECT ").Append(List(names)).Append(" FROM ").Append(StagingTable);
        }
        else
        {
            sql.Append("SELECT DISTINCT ON (").Append(key).Append(") ").Append(List(names))
                .Append(" FROM ").Append(StagingTable)
                .Append(" ORDER BY ").Append(key).Append(", ").Append(Quote(ArrivalColumn)).Append(" DESC");
        }

        sql.Append(" ON CONFLICT (").Append(key).Append(") ");
        if (updated.Count == 0)
        {
            return sql.Append("DO NOTHING").ToString();
        }

        sql.Append("DO UPDATE SET ")
            .AppendJoin(", ", updated.Select(n => $"{Quote(n)} = EXCLUDED.{Quote(n)}"))
            // Rows that come again unchanged (overlapping incremental reads) are left alone: no new row version.
            .Append(" WHERE (").Append(List(updated, "t.")).Append(") IS DISTINCT FROM (")
            .Append(List(updated, "EXCLUDED.")).Append(')');
        return sql.ToString();
    }
}
