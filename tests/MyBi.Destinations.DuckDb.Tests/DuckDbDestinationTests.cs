using System.Diagnostics;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Plugins.Testing;

namespace MyBi.Destinations.DuckDb.Tests;

public sealed class DuckDbDestinationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Create_RelativePath_ResolvesAgainstBaseDirectoryAndCreatesFolders()
    {
        var provider = new DuckDbDestinationProvider();
        var config = new JsonObject { ["type"] = "duckdb", ["path"] = "./data/sub/warehouse.duckdb" };

        await using var destination = provider.Create(config, _folder.Path);
        await destination.CheckAsync();

        // Checking does not create a missing file (a run that then fails at the source leaves nothing behind);
        // the first table does.
        Assert.False(File.Exists(Path.Combine(_folder.Path, "data", "sub", "warehouse.duckdb")));
        await destination.EnsureTableAsync(KeyValue("first"));

        Assert.Equal("duckdb", provider.Type);
        Assert.True(File.Exists(Path.Combine(_folder.Path, "data", "sub", "warehouse.duckdb")));
        Assert.Contains(Path.Combine(_folder.Path, "data", "sub", "warehouse.duckdb"), destination.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoPath_UsesWarehouseFileInBaseDirectory()
    {
        await using var destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb" }, _folder.Path);

        await destination.EnsureTableAsync(KeyValue("t"));

        Assert.True(File.Exists(_folder.File("warehouse.duckdb")));
    }

    [Theory]
    [InlineData("""{"type":"duckdb","pth":"x.duckdb"}""", "pth")]
    [InlineData("""{"type":"duckdb","path":5}""", "path")]
    [InlineData("""{"type":"duckdb","path":"  "}""", "path")]
    [InlineData("""{"type":"duckdb","path":":memory:"}""", "memory")]
    public void Create_InvalidConfig_ThrowsConfigNamingTheProblem(string json, string expected)
    {
        var config = JsonNode.Parse(json)!.AsObject();

        var error = Assert.Throws<MyBiException>(() => new DuckDbDestinationProvider().Create(config, _folder.Path));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PathIsAFolder_ThrowsConfig()
    {
        Directory.CreateDirectory(_folder.File("folder.duckdb"));
        var config = new JsonObject { ["type"] = "duckdb", ["path"] = "folder.duckdb" };

        var error = Assert.Throws<MyBiException>(() => new DuckDbDestinationProvider().Create(config, _folder.Path));

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureTableAsync_NewTable_UsesDuckDbTypesAndPrimaryKey()
    {
        await using var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");

        await destination.EnsureTableAsync(schema);

        var columns = await destination.QueryAsync(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'records' ORDER BY ordinal_position", 100);
        Assert.Equal(
            [
                "id BIGINT NO", "company_id BIGINT YES", "datetime TIMESTAMP WITH TIME ZONE YES", "visit_date DATE YES",
                "client_name VARCHAR YES", "client_phone VARCHAR YES", "staff_name VARCHAR YES", "cost DECIMAL(18,4) YES",
                "paid DECIMAL(18,4) YES", "duration_hours DOUBLE YES", "paid_full BOOLEAN YES", "deleted BOOLEAN YES",
                "attendance BIGINT YES", "services JSON YES",
            ],
            columns.Rows.Select(r => $"{r[0]} {r[1]} {r[2]}"));
        var key = await destination.QueryAsync(
            "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = 'records' AND constraint_type = 'PRIMARY KEY'", 10);
        Assert.Equal(["id"], Assert.IsAssignableFrom<IEnumerable<string>>(Assert.Single(key.Rows)[0]));
    }

    [Fact]
    public async Task WriteAsync_ThenReopened_RowsArePersistedInTheFile()
    {
        var schema = SampleRows.RecordsSchema("records");
        var rows = SampleRows.Records(1000, seed: 5).ToList();
        await using (var writer = NewDestination())
        {
            await writer.EnsureTableAsync(schema);
            await writer.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);
        }

        await using var reader = NewDestination();
        var read = new List<object?[]>();
        await foreach (var row in reader.ReadTableAsync(schema))
        {
            read.Add(row);
        }

        Assert.Equal(rows.Select(r => (long)r[0]!).Order(), read.Select(r => (long)r[0]!).Order());
        Assert.Equal(rows.Sum(r => (decimal)r[7]!), read.Sum(r => (decimal)r[7]!));
    }

    [Fact]
    public async Task EnsureTableAsync_ChangedPrimaryKey_ThrowsConfigNamingTheTable()
    {
        await using var destination = NewDestination();
        await destination.EnsureTableAsync(KeyValue("keyed"));
        var rekeyed = new TableSchema("keyed", KeyValue("keyed").Columns, ["id", "name"]);

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.EnsureTableAsync(rekeyed).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("'keyed'", error.Message, StringComparison.Ordinal);
        Assert.Contains("primary key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureTableAsync_DecimalThatFits_IsAcceptedAndWiderScaleIsRefused()
    {
        await using var destination = NewDestination();
        await destination.EnsureTableAsync(Amounts(18, 4));

        await destination.EnsureTableAsync(Amounts(10, 2));
        await destination.WriteAsync(new RecordBatch(Amounts(10, 2), [[1L, 12.34m]]), WriteMode.Merge);
        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.EnsureTableAsync(Amounts(20, 6)).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("'amount' is DECIMAL(18,4) in the warehouse but the stream now declares DECIMAL(20,6)", error.Message, StringComparison.Ordinal);
        Assert.Equal(12.34m, await ScalarAsync(destination, "SELECT amount FROM amounts"));
    }

    [Theory]
    [InlineData(WriteMode.Append)]
    [InlineData(WriteMode.Merge)]
    public async Task WriteAsync_DecimalWiderThanItsColumn_FailsTheBatchWithATypedErrorAndWritesNothing(WriteMode mode)
    {
        await using var destination = NewDestination();
        await destination.EnsureTableAsync(Amounts(4, 2));

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => destination.WriteAsync(new RecordBatch(Amounts(4, 2), [[1L, 1.23m], [2L, 12345.67m]]), mode).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("Row 1 for table 'amounts': the value of 'amount' does not fit its column", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(destination, "SELECT count(*) FROM amounts"));
    }

    [Fact]
    public async Task WriteAsync_IdentifiersWithDoubleQuotes_AreEscaped()
    {
        await using var destination = NewDestination();
        var schema = new TableSchema(
            "odd\"table",
            [new ColumnSchema("key\"col", ColumnType.Int64), new ColumnSchema("va\"\"lue", ColumnType.String)],
            ["key\"col"]);

        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "a"], [1L, "b"]]), WriteMode.Merge);

        Assert.True(await destination.TableExistsAsync("odd\"table"));
        Assert.Equal("b", await ScalarAsync(destination, "SELECT \"va\"\"\"\"lue\" FROM \"odd\"\"table\" WHERE \"key\"\"col\" = 1"));
    }

    [Fact]
    public async Task WriteAsync_ValueOfWrongClrType_ThrowsSystemNamingColumnAndWritesNothing()
    {
        await using var destination = NewDestination();
        var schema = KeyValue("typed");
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "kept"]]), WriteMode.Merge);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => destination.WriteAsync(new RecordBatch(schema, [[2L, "new"], [3, "int, not long"]]), WriteMode.Merge).AsTask());

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync(destination, "SELECT count(*) FROM typed"));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(199_999)]
    public async Task WriteAsync_CancelledDuringTheWrite_ThrowsCancelledAndWritesNothing(int cancelAtRow)
    {
        await using var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");
        await destination.EnsureTableAsync(schema);
        using var cancellation = new CancellationTokenSource();
        var rows = new CancellingRows(SampleRows.Records(200_000, seed: 9).ToList(), cancelAtRow, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge, cancellation.Token).AsTask());

        Assert.Equal(0L, await ScalarAsync(destination, "SELECT count(*) FROM records"));
        await destination.WriteAsync(new RecordBatch(schema, SampleRows.Records(10, seed: 9).ToList()), WriteMode.Merge);
        Assert.Equal(10L, await ScalarAsync(destination, "SELECT count(*) FROM records"));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentCalls_AreSerializedAndAllRowsLand()
    {
        await using var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");
        await destination.EnsureTableAsync(schema);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await destination.WriteAsync(new RecordBatch(schema, SampleRows.Records(5_000, seed: i, firstId: i * 5_000L + 1).ToList()), WriteMode.Merge))));

        Assert.Equal(40_000L, await ScalarAsync(destination, "SELECT count(DISTINCT id) FROM records"));
        Assert.Equal(40_000L, await ScalarAsync(destination, "SELECT max(id) FROM records"));
    }

    [Fact]
    public async Task QueryAsync_DuckDbWriteAndSideEffectStatements_AreRefusedWithoutEffect()
    {
        await using var destination = NewDestination();
        var schema = KeyValue("guarded");
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "a"]]), WriteMode.Merge);
        var copyTarget = _folder.File("leak.csv");
        var attachTarget = _folder.File("other.duckdb");
        var exportTarget = _folder.File("export");
        string[] statements =
        [
            $"COPY guarded TO '{copyTarget}'",
            $"EXPORT DATABASE '{exportTarget}'",
            $"ATTACH '{attachTarget}' AS other",
            "SET TimeZone = 'Asia/Yekaterinburg'",
            "PRAGMA enable_profiling",
            "CALL pragma_version()",
            "INSERT OR REPLACE INTO guarded VALUES (1, 'x')",
            "CREATE MACRO evil(a) AS a",
            "CREATE OR REPLACE TABLE guarded AS SELECT 2 AS id",
            "ALTER TABLE guarded ADD COLUMN extra INTEGER",
            "SELECT 1 -- harmless?\n; DELETE FROM guarded",
            "SELECT 1; SELECT 2",
            "BEGIN TRANSACTION",
            "CHECKPOINT",
        ];

        foreach (var sql in statements)
        {
            var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync(sql, 10).AsTask());
            Assert.True(error.Kind == FailureKind.Config, $"'{sql}' was refused as {error.Kind}: {error.Message}");
        }

        Assert.False(File.Exists(copyTarget));
        Assert.False(File.Exists(attachTarget));
        Assert.False(Directory.Exists(exportTarget));
        Assert.Equal("UTC", await ScalarAsync(destination, "SELECT current_setting('TimeZone')"));
        var row = Assert.Single((await destination.QueryAsync("SELECT * FROM guarded", 10)).Rows);
        Assert.Equal([1L, "a"], row);
    }

    [Fact]
    public async Task QueryAsync_ReadOnlyForms_RunAndReturnTypedValues()
    {
        await using var destination = NewDestination();
        var schema = SampleRows.RecordsSchema("records");
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, SampleRows.Records(3, seed: 1).ToList()), WriteMode.Merge);

        var from = await destination.QueryAsync("FROM records SELECT id, datetime ORDER BY id", 10);
        var cte = await destination.QueryAsync("WITH x AS (SELECT sum(cost) AS s FROM records) SELECT s FROM x", 10);
        var describe = await destination.QueryAsync("DESCRIBE records", 100);

        Assert.Equal(3, from.Rows.Count);
        Assert.IsType<DateTimeOffset>(from.Rows[0][1]);
        Assert.IsType<decimal>(Assert.Single(cte.Rows)[0]);
        Assert.Equal(14, describe.Rows.Count);
    }

    [Fact]
    public async Task QueryAsync_InvalidSql_ThrowsConfigWithDuckDbsReason()
    {
        await using var destination = NewDestination();
        await destination.EnsureTableAsync(KeyValue("t"));

        var syntax = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELEC 1", 10).AsTask());
        var missing = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT * FROM no_such_table", 10).AsTask());

        Assert.Equal(FailureKind.Config, syntax.Kind);
        Assert.Contains("SELEC", syntax.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Config, missing.Kind);
        Assert.Contains("no_such_table", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadOnlyCalls_OnMissingFile_DoNotCreateIt()
    {
        var path = _folder.File("missing/warehouse.duckdb");
        await using var destination = new DuckDbDestination(new DuckDbDestinationOptions(path));

        Assert.False(await destination.TableExistsAsync("records"));
        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.QueryAsync("SELECT 1", 10).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task CheckAsync_FileLockedByAnotherProcess_ThrowsTransientNamingTheFile()
    {
        var path = _folder.File("locked.duckdb");
        await using (var creator = new DuckDbDestination(new DuckDbDestinationOptions(path)))
        {
            await creator.EnsureTableAsync(KeyValue("t"));
        }

        // DuckDB takes a POSIX record lock on the file; another process holding one is what a second writer sees.
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            ArgumentList = { "-c", "import fcntl,sys; f=open(sys.argv[1],'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()", path },
        };
        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync());
            await using var destination = new DuckDbDestination(new DuckDbDestinationOptions(path));

            var error = await Assert.ThrowsAsync<DuckDbFileLockedException>(() => destination.CheckAsync().AsTask());

            Assert.Equal(FailureKind.Transient, error.Kind);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("locked by another process", error.Message, StringComparison.Ordinal);
            Assert.Contains(", PID ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            holder.StandardInput.Close();
            await holder.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task WriteAsync_MergeOfNewKeysThenExistingThenRepeated_EachKeyOnceWithItsLastValue()
    {
        await using var destination = NewDestination();
        var schema = KeyValue("kv");

        // New distinct keys (a plain insert), some of them below existing ones (the range probe finds rows).
        await destination.WriteAsync(new RecordBatch(schema, [[10L, "a"], [20L, "b"], [30L, "c"]]), WriteMode.Merge);
        await destination.WriteAsync(new RecordBatch(schema, [[15L, "d"], [40L, "e"]]), WriteMode.Merge);
        // Distinct keys some of which exist: updated in place.
        await destination.WriteAsync(new RecordBatch(schema, [[20L, "b2"], [50L, "f"]]), WriteMode.Merge);
        // A key twice in one batch: the last row wins, whether or not the key exists.
        await destination.WriteAsync(new RecordBatch(schema, [[60L, "g1"], [60L, "g2"], [10L, "a1"], [10L, "a2"]]), WriteMode.Merge);

        var rows = await destination.QueryAsync("SELECT id, name FROM kv ORDER BY id", 100);
        Assert.Equal(
            ["10=a2", "15=d", "20=b2", "30=c", "40=e", "50=f", "60=g2"],
            rows.Rows.Select(r => $"{r[0]}={r[1]}"));
    }

    [Fact]
    public async Task WriteAsync_MergeOfALargeBatchMixingNewAndExistingKeys_UpdatesTheExistingAndAppendsTheNew()
    {
        await using var destination = NewDestination();
        var schema = KeyValue("kv");
        await destination.WriteAsync(new RecordBatch(schema, [.. Enumerable.Range(0, 5000).Select(i => new object?[] { 2L * i, "old" })]), WriteMode.Merge);

        // Keys 0..4999: every even one exists, every odd one is new, and there are more than one lookup's worth.
        await destination.WriteAsync(new RecordBatch(schema, [.. Enumerable.Range(0, 5000).Select(i => new object?[] { (long)i, "new" })]), WriteMode.Merge);

        var rows = await destination.QueryAsync("SELECT name, count(*), min(id), max(id) FROM kv GROUP BY name ORDER BY name", 10);
        Assert.Equal(
            ["new:5000:0:4999", "old:2500:5000:9998"],
            rows.Rows.Select(r => $"{r[0]}:{r[1]}:{r[2]}:{r[3]}"));
    }

    [Fact]
    public async Task WriteAsync_AppendMode_KeepsTheBatchOrderAndRepeatedRows()
    {
        await using var destination = NewDestination();
        var schema = new TableSchema("log", [new ColumnSchema("seq", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)], []);
        await destination.WriteAsync(new RecordBatch(schema, [[3L, "c"], [1L, "a"], [3L, "c"]]), WriteMode.Append);

        var rows = await destination.QueryAsync("SELECT seq, name FROM log ORDER BY rowid", 10);
        Assert.Equal(["3=c", "1=a", "3=c"], rows.Rows.Select(r => $"{r[0]}={r[1]}"));
    }

    // A few rows commit with the Appender's own flush; more than it holds before flushing on its own (204,800)
    // need an explicit transaction. Either way a batch whose last row fails leaves nothing of the batch behind.
    [Theory]
    [InlineData(3)]
    [InlineData(204_801)]
    public async Task WriteAsync_AppendWhoseLastRowRepeatsAStoredKey_FailsWholeAndWritesNothing(int rows)
    {
        await using var destination = NewDestination();
        var schema = KeyValue("kv");
        await destination.WriteAsync(new RecordBatch(schema, [[0L, "stored"]]), WriteMode.Append);
        var batch = Enumerable.Range(1, rows - 1).Select(i => new object?[] { (long)i, "new" }).Append([0L, "again"]).ToList();

        var error = await Assert.ThrowsAsync<MyBiException>(() => destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Append).AsTask());

        Assert.Contains("kv", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync(destination, "SELECT count(*) FROM kv"));
        Assert.Equal("stored", await ScalarAsync(destination, "SELECT name FROM kv WHERE id = 0"));
        await destination.WriteAsync(new RecordBatch(schema, [[1L, "next"]]), WriteMode.Append);
        Assert.Equal(2L, await ScalarAsync(destination, "SELECT count(*) FROM kv"));
    }

    [Fact]
    public async Task Connection_CheckpointsEvery256MegabytesOfWal_NotEveryFewBatches()
    {
        await using var destination = NewDestination();
        await destination.WriteAsync(new RecordBatch(KeyValue("kv"), [[1L, "a"]]), WriteMode.Merge);

        var threshold = await ScalarAsync(destination, "SELECT current_setting('checkpoint_threshold')");

        Assert.Equal("256.0 MiB", threshold);
    }

    /// <summary>
    /// The driver passes text as a C string, which ends at U+0000: "a\0b" was stored as "a". DuckDB's JSON took the
    /// escape of a lone surrogate from the Appender and then failed every query that read the value ("no low surrogate
    /// in string"); an upsert refused it. Each way a row reaches the table is covered: appended, a new key merged, a
    /// few known keys upserted as values, many through the stage.
    /// </summary>
    [Theory]
    [InlineData(WriteMode.Append, 0, 1)]
    [InlineData(WriteMode.Merge, 0, 1)]
    [InlineData(WriteMode.Merge, 1, 1)]
    [InlineData(WriteMode.Merge, 100, 100)]
    public async Task WriteAsync_U0000AndLoneSurrogates_StoredAsTheReplacementCharacter_JsonStaysReadable(WriteMode mode, int earlierRows, int rows)
    {
        var schema = new TableSchema(
            "odd",
            [
                new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("s", ColumnType.String), new ColumnSchema("j", ColumnType.Json),
                new ColumnSchema("raw", ColumnType.Json) { Verbatim = true },
            ],
            ["id"]);
        const string json = "{\"a\": \"x\\ud800y\", \"c\": \"\\ud83d\\ude00\", \"d\": \"\\\\ud800\", \"n\": \"x\\u0000y\", \"r\": \"\0\"}";
        await using var destination = NewDestination();
        await destination.EnsureTableAsync(schema);
        await destination.WriteAsync(new RecordBatch(schema, [.. Enumerable.Range(1, earlierRows).Select(i => new object?[] { (long)i, "earlier", "{}", "{}" })]), WriteMode.Merge);

        await destination.WriteAsync(new RecordBatch(schema, [.. Enumerable.Range(1, rows).Select(i => new object?[] { (long)i, "a\0b\uD800", json, json })]), mode);

        var stored = await destination.QueryAsync("SELECT s, j->>'a', j->>'c', j->>'d', j->>'r', raw->>'a', j FROM odd ORDER BY id", rows);
        Assert.All(stored.Rows, row => Assert.Equal(["a\uFFFDb\uFFFD", "x\uFFFDy", "\U0001F600", "\\ud800", "\uFFFD", "x\uFFFDy"], row[..6]));
        Assert.Equal(json.Replace("\\ud800y", "\\ufffdy", StringComparison.Ordinal).Replace('\0', '\uFFFD'), stored.Rows[0][6]);
    }

    private DuckDbDestination NewDestination() => new(new DuckDbDestinationOptions(_folder.File("warehouse.duckdb")));

    private static TableSchema KeyValue(string table) => new(
        table,
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)],
        ["id"]);

    private static TableSchema Amounts(int precision, int scale) => new(
        "amounts",
        [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal) { Precision = precision, Scale = scale }],
        ["id"]);

    private static async Task<object?> ScalarAsync(Destination destination, string sql) =>
        Assert.Single(Assert.Single((await destination.QueryAsync(sql, 1)).Rows));
}
