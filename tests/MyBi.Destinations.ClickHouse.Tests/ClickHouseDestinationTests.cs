using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Plugins.Testing;
using Xunit.Abstractions;

namespace MyBi.Destinations.ClickHouse.Tests;

/// <summary>ClickHouse-specific behaviour, against the server of MYBI_TEST_CLICKHOUSE.</summary>
public sealed class ClickHouseDestinationTests : IAsyncLifetime
{
    private readonly ITestOutputHelper _output;
    private readonly string _database = ClickHouseTestServer.NewDatabaseName();
    private readonly List<IAsyncDisposable> _disposables = [];

    public ClickHouseDestinationTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await ClickHouseTestServer.DropDatabaseAsync(_database);
    }

    [Fact]
    public async Task CheckAsync_NothingListens_TransientNamingHostAndPort()
    {
        var port = FreePort();
        var destination = Track(new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Protocol=http;Password=hunter2-secret",
        }));

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ServerNeverAnswers_TransientAfterCheckTimeout()
    {
        // Accepts connections and never answers, like a hung server or a black-holing firewall.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var destination = Track(new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Protocol=http",
            CheckTimeout = TimeSpan.FromMilliseconds(300),
        }));

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.CheckAsync().AsTask());

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer within 0.3 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureTableAsync_NewTable_HasTheDocumentedTypesEngineAndKey()
    {
        var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");

        await destination.EnsureTableAsync(schema);

        var types = await ColumnTypesAsync("records");
        Assert.Equal(
            [
                "id:Int64", "company_id:Nullable(Int64)", "datetime:Nullable(DateTime64(3, 'UTC'))", "visit_date:Nullable(Date32)",
                "client_name:Nullable(String)", "client_phone:Nullable(String)", "staff_name:Nullable(String)",
                "cost:Nullable(Decimal(18, 4))", "paid:Nullable(Decimal(18, 4))", "duration_hours:Nullable(Float64)",
                "paid_full:Nullable(Bool)", "deleted:Nullable(Bool)", "attendance:Nullable(Int64)", "services:Nullable(String)",
                "_mybi_version:UInt64",
            ],
            types);
        Assert.Equal(
            "ReplacingMergeTree|id",
            await ClickHouseTestServer.ScalarAsync($"SELECT concat(engine, '|', sorting_key) FROM system.tables WHERE database = '{_database}' AND name = 'records'"));
    }

    [Fact]
    public async Task WriteAsync_ReloadOfTheSameKeys_FinalShowsOneCurrentRowPerKey()
    {
        var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");
        await destination.EnsureTableAsync(schema);
        var first = SampleRows.Records(1_000, seed: 21).ToList();
        var reload = SampleRows.Records(1_000, seed: 22).ToList();

        await destination.WriteAsync(new RecordBatch(schema, first), WriteMode.Merge);
        await destination.WriteAsync(new RecordBatch(schema, reload), WriteMode.Merge);

        // Both loads are stored until a merge collapses them; FINAL (and the destination's reads) see the newer one.
        var table = $"`{_database}`.`records`";
        Assert.Equal(1_000L, Convert.ToInt64(await ClickHouseTestServer.ScalarAsync($"SELECT count() FROM {table} FINAL"), CultureInfo.InvariantCulture));
        Assert.Equal(reload.Sum(r => (decimal)r[7]!), Convert.ToDecimal(await ClickHouseTestServer.ScalarAsync($"SELECT sum(cost) FROM {table} FINAL"), CultureInfo.InvariantCulture));
        var viaQuery = await destination.QueryAsync("SELECT count(), sum(cost) FROM records", 1);
        Assert.Equal(1_000L, Convert.ToInt64(viaQuery.Rows[0][0], CultureInfo.InvariantCulture));
        Assert.Equal(reload.Sum(r => (decimal)r[7]!), Convert.ToDecimal(viaQuery.Rows[0][1], CultureInfo.InvariantCulture));
        var read = new Dictionary<long, object?[]>();
        await foreach (var row in destination.ReadTableAsync(schema))
        {
            read.Add((long)row[0]!, row);
        }

        Assert.Equal(1_000, read.Count);
        Assert.All(reload, expected => Assert.Equal(expected[4], read[(long)expected[0]!][4]));
    }

    [Theory]
    [InlineData(WriteMode.Append)]
    [InlineData(WriteMode.Merge)]
    public async Task WriteAsync_TextWithU0000_StoredWhole_LoneSurrogateAsTheReplacementCharacter(WriteMode mode)
    {
        // ClickHouse strings are bytes with a length, so U+0000 is kept (DuckDB's driver would cut the text there); a
        // lone surrogate cannot be UTF-8, and the driver encodes it as U+FFFD instead of failing the batch.
        var destination = NewDestination();
        var table = "nul_" + mode.ToString().ToLowerInvariant();
        var schema = new TableSchema(
            table,
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("s", ColumnType.String), new ColumnSchema("j", ColumnType.Json)],
            ["id"]);
        const string json = "{\"a\": \"x\\u0000y\"}";
        await destination.EnsureTableAsync(schema);

        await destination.WriteAsync(new RecordBatch(schema, [[1L, "a\0b\uD800", json]]), mode);

        var row = (await destination.QueryAsync($"SELECT s, j, length(s) FROM {table}", 1)).Rows[0];
        Assert.Equal("a\0b\uFFFD", row[0]);
        Assert.Equal(json, row[1]);
        Assert.Equal(6UL, Convert.ToUInt64(row[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(2300, 1, 1)]
    public async Task WriteAsync_DateOutsideDate32_ConfigErrorNamingRowAndColumn_NothingWritten(int year, int month, int day)
    {
        // The driver failed such a batch halfway with a bare serialization error; the edges of the range are kept.
        var destination = NewDestination();
        var schema = new TableSchema("days", [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("day", ColumnType.Date)], ["id"]);
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, new DateOnly(1900, 1, 1)], [2L, new DateOnly(2299, 12, 31)]]), WriteMode.Append);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => destination.WriteAsync(new RecordBatch(schema, [[3L, new DateOnly(2024, 5, 1)], [4L, new DateOnly(year, month, day)]]), WriteMode.Append).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Equal("days", error.Stream);
        Assert.Contains("Row 1 for table 'days': the value of 'day'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the dates ClickHouse's Date32 holds (1900-01-01 to 2299-12-31)", error.Message, StringComparison.Ordinal);
        var rows = (await destination.QueryAsync("SELECT toString(day) FROM days ORDER BY id", 10)).Rows;
        Assert.Equal(["1900-01-01", "2299-12-31"], rows.Select(r => (string)r[0]!));

        // Asked before a write (a webhook event's rows), the destination gives the same reason, and none for the edges.
        var problem = destination.ValueProblem(schema.Columns[1], new DateOnly(year, month, day));
        Assert.NotNull(problem);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Null(destination.ValueProblem(schema.Columns[1], new DateOnly(1900, 1, 1)));
        Assert.Null(destination.ValueProblem(schema.Columns[1], new DateOnly(2299, 12, 31)));
    }

    [Fact]
    public async Task ReadTableAsync_EveryType_ReturnsTheContractClrTypes()
    {
        var destination = NewDestination();
        var schema = new TableSchema(
            "typed",
            [
                new ColumnSchema("id", ColumnType.Int64),
                new ColumnSchema("s", ColumnType.String),
                new ColumnSchema("i", ColumnType.Int64),
                new ColumnSchema("m", ColumnType.Decimal),
                new ColumnSchema("d", ColumnType.Double),
                new ColumnSchema("b", ColumnType.Boolean),
                new ColumnSchema("t", ColumnType.Timestamp),
                new ColumnSchema("day", ColumnType.Date),
                new ColumnSchema("j", ColumnType.Json),
            ],
            ["id"]);
        var instant = new DateTimeOffset(2024, 3, 10, 14, 30, 15, 123, TimeSpan.FromHours(5));
        object?[] written = [7L, "Алёна 💅", -5L, 1234.5678m, 0.25, true, instant, new DateOnly(1931, 7, 4), "{\"a\":[1,2]}"];
        await destination.EnsureTableAsync(schema);

        await destination.WriteAsync(new RecordBatch(schema, [written]), WriteMode.Append);

        var rows = new List<object?[]>();
        await foreach (var row in destination.ReadTableAsync(schema))
        {
            rows.Add(row);
        }

        var read = Assert.Single(rows);
        Assert.Equal(7L, Assert.IsType<long>(read[0]));
        Assert.Equal("Алёна 💅", Assert.IsType<string>(read[1]));
        Assert.Equal(-5L, Assert.IsType<long>(read[2]));
        Assert.Equal(1234.5678m, Assert.IsType<decimal>(read[3]));
        Assert.Equal(0.25, Assert.IsType<double>(read[4]));
        Assert.True(Assert.IsType<bool>(read[5]));
        var t = Assert.IsType<DateTimeOffset>(read[6]);
        Assert.Equal(TimeSpan.Zero, t.Offset);
        Assert.Equal(instant.UtcDateTime, t.UtcDateTime);
        Assert.Equal(new DateOnly(1931, 7, 4), Assert.IsType<DateOnly>(read[7]));
        Assert.Equal("{\"a\":[1,2]}", Assert.IsType<string>(read[8]));
    }

    [Fact]
    public async Task WriteAsync_ConnectionCutDuringUpload_TransientAndNothingCommitted()
    {
        var settings = ClickHouseTestServer.Settings;
        var proxy = Track(new InterruptibleTcpProxy(settings.Host, settings.Port));
        var destination = NewDestination(ClickHouseTestServer.ConnectionStringThrough(proxy.Port));
        var schema = SampleRows.RecordsSchema("cut");
        var rows = SampleRows.Records(100_000, seed: 31).ToList();
        await destination.EnsureTableAsync(schema);

        var cut = proxy.CutNextUpload();
        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Append).AsTask());

        Assert.True(cut.IsCompleted);
        Assert.Equal(1, proxy.Cuts);
        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Equal("cut", error.Stream);
        Assert.Equal(0L, await CountAsync("cut"));

        await destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Append);
        Assert.Equal(100_000L, await CountAsync("cut"));
    }

    [Fact]
    public async Task DeleteAsync_NewestVersionMatches_OlderVersionsDoNotComeBack()
    {
        var destination = NewDestination();
        var schema = new TableSchema(
            "versions",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("run", ColumnType.String)],
            ["id"]);
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "r1"], [2L, "r1"]]), WriteMode.Merge);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "r2"]]), WriteMode.Merge);

        var deleted = await destination.DeleteAsync(schema, [new RowCondition("run", ConditionOperator.Equal, "r2")]);

        Assert.Equal(1L, deleted);
        var left = new List<object?[]>();
        await foreach (var row in destination.ReadTableAsync(schema))
        {
            left.Add(row);
        }

        var only = Assert.Single(left);
        Assert.Equal(2L, only[0]);
        // Both stored versions of key 1 are gone, not just the newest.
        Assert.Equal(1L, await CountAsync("versions"));
    }

    [Fact]
    public async Task QueryAsync_UnknownTable_ConfigWithTheServerCode()
    {
        var destination = NewDestination();
        await destination.CheckAsync();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT * FROM no_such_table", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("code 60", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_MergeWithoutPrimaryKey_RefusedAsConfig()
    {
        var destination = NewDestination();
        var schema = new TableSchema("events", [new ColumnSchema("name", ColumnType.String)], []);
        await destination.EnsureTableAsync(schema);

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.WriteAsync(new RecordBatch(schema, [["a"]]), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("append", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_BatchLargerThanBatchSize_SplitIntoInsertsAndMergedExactly()
    {
        var destination = NewDestination(batchSize: 30_000);
        var schema = SampleRows.RecordsSchema("split");
        var rows = SampleRows.Records(100_000, seed: 41).ToList();
        await destination.EnsureTableAsync(schema);

        await destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);
        await destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        Assert.Equal(100_000L, await CountAsync("split", final: true));
        Assert.Equal(
            rows.Sum(r => (decimal)r[7]!),
            Convert.ToDecimal(await ClickHouseTestServer.ScalarAsync($"SELECT sum(cost) FROM `{_database}`.`split` FINAL"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task WriteAsync_LargeMergeBatches_AllRowsLandAndThroughputIsReported()
    {
        const int Batches = 4;
        const int RowsPerBatch = 100_000;
        var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("bulk");
        await destination.EnsureTableAsync(schema);
        var all = SampleRows.Records(Batches * RowsPerBatch, seed: 51).ToList();

        var watch = Stopwatch.StartNew();
        for (var b = 0; b < Batches; b++)
        {
            await destination.WriteAsync(new RecordBatch(schema, all.GetRange(b * RowsPerBatch, RowsPerBatch)), WriteMode.Merge);
        }

        watch.Stop();
        _output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{all.Count:N0} rows × {schema.Columns.Count} columns in {watch.Elapsed.TotalSeconds:F2} s = {all.Count / watch.Elapsed.TotalSeconds:N0} rows/s"));
        Assert.Equal(all.Count, await CountAsync("bulk", final: true));
        Assert.Equal(
            all.Sum(r => (decimal)r[7]!),
            Convert.ToDecimal(await ClickHouseTestServer.ScalarAsync($"SELECT sum(cost) FROM `{_database}`.`bulk` FINAL"), CultureInfo.InvariantCulture));
    }

    private ClickHouseDestination NewDestination(string? connectionString = null, int batchSize = ClickHouseDestinationOptions.DefaultBatchSize) =>
        Track(new ClickHouseDestination(new ClickHouseDestinationOptions
        {
            ConnectionString = connectionString ?? ClickHouseTestServer.ConnectionString,
            Database = _database,
            BatchSize = batchSize,
        }));

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private async Task<long> CountAsync(string table, bool final = false) => Convert.ToInt64(
        await ClickHouseTestServer.ScalarAsync($"SELECT count() FROM `{_database}`.`{table}`{(final ? " FINAL" : "")}"),
        CultureInfo.InvariantCulture);

    private async Task<List<string>> ColumnTypesAsync(string table)
    {
        var text = (string?)await ClickHouseTestServer.ScalarAsync(
            $"SELECT arrayStringConcat(groupArray(concat(name, ':', type)), '|') FROM (SELECT name, type FROM system.columns WHERE database = '{_database}' AND table = '{table}' ORDER BY position)");
        return [.. text!.Split('|')];
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
