using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using Npgsql;

namespace MyBi.Destinations.Postgres.Tests;

/// <summary>
/// The two merge paths: batches of new keys are copied straight into the table, others go through staging and an
/// upsert that writes nothing for unchanged rows; a key inserted by another writer in between sends the batch back
/// to staging, inside the same transaction.
/// </summary>
public sealed class PostgresMergePathTests : IAsyncLifetime
{
    private readonly string _schema = PostgresTestServer.UniqueName("mybi_paths");
    private readonly TableSchema _table = new(
        "visits",
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)],
        ["id"]);

    private PostgresDestination? _destination;

    private PostgresDestination Destination => _destination!;

    public async Task InitializeAsync()
    {
        _destination = new PostgresDestination(new PostgresDestinationOptions { ConnectionString = PostgresTestServer.ConnectionString, Schema = _schema });
        await Destination.EnsureTableAsync(_table);
    }

    public async Task DisposeAsync()
    {
        if (_destination is not null)
        {
            await _destination.DisposeAsync();
        }

        await PostgresTestServer.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task WriteAsync_MergeOfNewKeys_IsCopiedDirectlyAndExistingKeysGoThroughStaging()
    {
        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a"], [2L, "b"]]), WriteMode.Merge);
        Assert.Equal(1, Destination.Timings.DirectBatches);

        await Destination.WriteAsync(new RecordBatch(_table, [[3L, "c"], [2L, "b2"]]), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(_table, [[4L, "d"], [4L, "d2"]]), WriteMode.Merge);

        Assert.Equal(3, Destination.Timings.Batches);
        Assert.Equal(1, Destination.Timings.DirectBatches);
        Assert.Equal(["1 a", "2 b2", "3 c", "4 d2"], await ReadAsync());
    }

    [Fact]
    public async Task WriteAsync_KeyInsertedByAnotherWriterDuringDirectCopy_FallsBackToStagingAndMerges()
    {
        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a"]]), WriteMode.Merge);
        await using var other = new NpgsqlConnection(PostgresTestServer.With(b => b.Pooling = false));
        await other.OpenAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO \"{_schema}\".visits (id, name) VALUES (7, 'other writer')", other, otherTransaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        // Key 7 is not visible yet, so the batch looks new and its direct copy waits on the other writer's key.
        var write = Destination.WriteAsync(new RecordBatch(_table, [[5L, "e"], [6L, "f"], [7L, "g"]]), WriteMode.Merge).AsTask();
        await WaitUntilBlockedOnLockAsync(write);
        await otherTransaction.CommitAsync();
        await write;

        Assert.Equal(["1 a", "5 e", "6 f", "7 g"], await ReadAsync());
        Assert.Equal(1, Destination.Timings.DirectBatches);
    }

    [Fact]
    public async Task WriteAsync_MergeOfExistingKeys_UpdatesChangedRowsInsertsNewOnesAndLeavesUnchangedRowsUntouched()
    {
        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a"], [2L, "b"], [3L, "c"]]), WriteMode.Merge);
        var before = await RowVersionsAsync();

        await Destination.WriteAsync(new RecordBatch(_table, [[2L, "b2"], [1L, "a"], [4L, "d"], [3L, "c"]]), WriteMode.Merge);

        Assert.Equal(["1 a", "2 b2", "3 c", "4 d"], await ReadAsync());
        var after = await RowVersionsAsync();

        // An unchanged row keeps its row version (xmin): the re-load wrote nothing for it.
        Assert.Equal(before[1], after[1]);
        Assert.Equal(before[3], after[3]);
        Assert.NotEqual(before[2], after[2]);
    }

    [Fact]
    public async Task WriteAsync_MergeOfExistingKeysWithoutEveryColumn_GoesThroughStagingAndKeepsOtherColumns()
    {
        var wide = new TableSchema("visits", [.. _table.Columns, new ColumnSchema("note", ColumnType.String)], ["id"]);
        await Destination.EnsureTableAsync(wide);
        await Destination.WriteAsync(new RecordBatch(wide, [[1L, "a", "kept"], [2L, "b", "kept too"]]), WriteMode.Merge);

        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a2"], [2L, "b2"]]), WriteMode.Merge);

        var rows = new List<string>();
        await foreach (var row in Destination.ReadTableAsync(wide))
        {
            rows.Add($"{row[0]} {row[1]} {row[2]}");
        }

        rows.Sort(StringComparer.Ordinal);
        Assert.Equal(["1 a2 kept", "2 b2 kept too"], rows);
    }

    [Fact]
    public async Task WriteAsync_MergeOfExistingKeysRepeatedInBatch_GoesThroughStagingAndLastRowWins()
    {
        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a"], [2L, "b"]]), WriteMode.Merge);

        await Destination.WriteAsync(new RecordBatch(_table, [[1L, "a2"], [2L, "b2"], [1L, "a3"]]), WriteMode.Merge);

        Assert.Equal(["1 a3", "2 b2"], await ReadAsync());
    }

    private async Task WaitUntilBlockedOnLockAsync(Task write)
    {
        using var give = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!write.IsCompleted)
        {
            var blocked = await PostgresTestServer.AdminAsync(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'COPY%'");
            if ((long)blocked! > 0)
            {
                return;
            }

            await Task.Delay(20, give.Token);
        }

        await write;
        Assert.Fail("The write finished without waiting for the other writer's key.");
    }

    private async Task<Dictionary<long, string>> RowVersionsAsync()
    {
        var versions = new Dictionary<long, string>();
        await using var connection = new NpgsqlConnection(PostgresTestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT id, xmin::text FROM \"{_schema}\".visits", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions[reader.GetInt64(0)] = reader.GetString(1);
        }

        return versions;
    }

    private async Task<List<string>> ReadAsync()
    {
        var rows = new List<string>();
        await foreach (var row in Destination.ReadTableAsync(_table))
        {
            rows.Add($"{row[0]} {row[1]}");
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
