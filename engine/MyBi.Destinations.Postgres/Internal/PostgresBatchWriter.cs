using System.Diagnostics;
using System.Text;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Npgsql;
using static MyBi.Destinations.Postgres.Internal.PostgresSqlNames;

namespace MyBi.Destinations.Postgres.Internal;

/// <summary>
/// Writes one batch in one transaction, so a batch lands whole or not at all.
/// <para>
/// Merge: binary COPY into a temporary staging table, then one
/// <c>INSERT … SELECT … WHERE NOT EXISTS (the same row) ON CONFLICT (key) DO UPDATE … WHERE IS DISTINCT FROM</c>
/// (with <c>DISTINCT ON (key)</c> when a key may repeat: the last row of a repeated key wins). Rows that come again
/// unchanged, the common case of a lookback or a reconciliation reload, are filtered out by a read-only index
/// probe and write nothing: no row version, no lock, no WAL. Changed rows are updated in place and new keys inserted.
/// A batch of distinct single-column keys none of which is in the table yet (an initial load, new records) is
/// binary-copied straight into the table instead: the same outcome at about twice the speed, as the upsert inserts
/// row by row. Should another writer insert one of those keys meanwhile, the copy fails on the primary key, is
/// rolled back to a savepoint, and the batch takes the staging path.
/// </para>
/// <para>Append: binary COPY straight into the table.</para>
/// </summary>
internal sealed class PostgresBatchWriter
{
    // SET LOCAL ends with the transaction. The DISTINCT ON sort of a batch should stay in memory. The upsert probes
    // the table's key index once per staged row: its cost follows the batch, never the table, whereas the hash or
    // merge join the planner may pick (the staging table has no statistics) reads the whole table on every batch.
    // JIT compilation costs more per batch than it saves on a statement of this size.
    private const string TransactionSettings =
        "SET LOCAL work_mem = '128MB'; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL jit = off";

    private const string DirectSavepoint = "mybi_direct";

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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await ExecuteAsync(connection, transaction, TransactionSettings, cancellationToken).ConfigureAwait(false);

        var keys = BatchKeys.Analyze(table, batch.Rows);
        if (keys.Values is not null)
        {
            var anyExists = await AnyKeyExistsAsync(connection, transaction, target, table.PrimaryKey[0], keys, cancellationToken).ConfigureAwait(false);
            if (!anyExists && await TryCopyIntoTableAsync(connection, transaction, target, batch, cancellationToken).ConfigureAwait(false))
            {
                var copiedDirectly = Stopwatch.GetTimestamp();
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Timings.Add(batch.Count, copiedDirectly - started, Stopwatch.GetTimestamp() - copiedDirectly, direct: true);
                return;
            }
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"CREATE TEMP TABLE {StagingTable} (LIKE {target}, {Quote(ArrivalColumn)} bigint NOT NULL) ON COMMIT DROP",
            cancellationToken).ConfigureAwait(false);
        var copy = $"COPY {StagingTable} ({List(table.Columns.Select(c => c.Name))}, {Quote(ArrivalColumn)}) FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false))
        {
            await BinaryRowWriter.WriteAsync(importer, table, batch.Rows, withArrival: true, cancellationToken).ConfigureAwait(false);
            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var copied = Stopwatch.GetTimestamp();
        await ExecuteAsync(connection, transaction, MergeSql(target, table, keys.Distinct), cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Timings.Add(batch.Count, copied - started, Stopwatch.GetTimestamp() - copied, direct: false);
    }

    public async Task AppendAsync(RecordBatch batch, CancellationToken cancellationToken)
    {
        var table = batch.Schema;
        var target = Qualified(_schema, table.Name);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        await CopyAsync(connection, target, batch, cancellationToken).ConfigureAwait(false);
        var copied = Stopwatch.GetTimestamp();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Timings.Add(batch.Count, copied - started, Stopwatch.GetTimestamp() - copied, direct: true);
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
        string Compared(string prefix) => string.Join(", ", updated.Select(n => PostgresColumnTypes.Compared(table.Columns[table.IndexOf(n)], prefix + Quote(n))));
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(target).Append(" AS t (").Append(List(names)).Append(") SELECT ")
            .Append(List(names, "s.")).Append(" FROM ");
        if (distinctKeys)
        {
            sql.Append(StagingTable);
        }
        else
        {
            sql.Append("(SELECT DISTINCT ON (").Append(key).Append(") ").Append(List(names))
                .Append(" FROM ").Append(StagingTable)
                .Append(" ORDER BY ").Append(key).Append(", ").Append(Quote(ArrivalColumn)).Append(" DESC)");
        }

        sql.Append(" AS s");
        if (updated.Count > 0)
        {
            // A row already in the table as it comes is dropped here, by a read-only probe: the conflict path below
            // would lock it (a WAL record and a dirtied page per row) even though its WHERE then leaves it alone.
            sql.Append(" WHERE NOT EXISTS (SELECT FROM ").Append(target).Append(" AS u WHERE ")
                .AppendJoin(" AND ", table.PrimaryKey.Select(k => $"u.{Quote(k)} = s.{Quote(k)}"))
                .Append(" AND (").Append(Compared("u.")).Append(") IS NOT DISTINCT FROM (")
                .Append(Compared("s.")).Append("))");
        }

        sql.Append(" ON CONFLICT (").Append(key).Append(") ");
        if (updated.Count == 0)
        {
            return sql.Append("DO NOTHING").ToString();
        }

        sql.Append("DO UPDATE SET ")
            .AppendJoin(", ", updated.Select(n => $"{Quote(n)} = EXCLUDED.{Quote(n)}"))
            // Kept for a row another writer changed since the probe's snapshot: an unchanged row still writes nothing.
            .Append(" WHERE (").Append(Compared("t.")).Append(") IS DISTINCT FROM (")
            .Append(Compared("EXCLUDED.")).Append(')');
        return sql.ToString();
    }

    private static async Task<bool> AnyKeyExistsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string target,
        string keyColumn,
        BatchKeys keys,
        CancellationToken cancellationToken)
    {
        var key = Quote(keyColumn);
        if (keys.Range is var (min, max))
        {
            // One index probe settles the common case of ids beyond every id in the table (a load in id order).
            await using var range = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {target} WHERE {key} BETWEEN @min AND @max)", connection, transaction);
            range.Parameters.Add(new NpgsqlParameter<long>("min", NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = min });
            range.Parameters.Add(new NpgsqlParameter<long>("max", NpgsqlTypes.NpgsqlDbType.Bigint) { TypedValue = max });
            if (!(bool)(await range.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return false;
            }
        }

        await using var command = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM {target} WHERE {key} = ANY (@keys))", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlTypes.NpgsqlDbType.Array | keys.Type) { Value = keys.Values });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Copies the batch straight into the table. Should another writer have inserted one of the keys meanwhile, the
    /// copy fails on the primary key and everything since the savepoint is undone; the caller then takes the
    /// staging path in the same transaction.
    /// </summary>
    private static async Task<bool> TryCopyIntoTableAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string target,
        RecordBatch batch,
        CancellationToken cancellationToken)
    {
        await transaction.SaveAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            await CopyAsync(connection, target, batch, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
            return false;
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, string target, RecordBatch batch, CancellationToken cancellationToken)
    {
        var copy = $"COPY {target} ({List(batch.Schema.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false);
        await BinaryRowWriter.WriteAsync(importer, batch.Schema, batch.Rows, withArrival: false, cancellationToken).ConfigureAwait(false);
        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
