using System.Text;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using Xunit;

namespace MyBi.Plugins.Testing;

/// <summary>
/// The behaviour every <see cref="Destination"/> must show, run against a real server or file. A destination's test
/// project derives one class from this and supplies a destination that writes into a namespace (file, schema,
/// database) of its own for each instance; xunit creates one instance per test, so tests never share tables.
/// Each test reads the data back through <see cref="Destination.ReadTableAsync"/> or
/// <see cref="Destination.QueryAsync"/>, never trusting a write's return alone.
/// </summary>
public abstract partial class DestinationConformanceTests : IAsyncLifetime
{
    private Destination? _destination;
    private CancellationTokenSource? _inFlightWrites;

    /// <summary>The destination under test, created by <see cref="CreateDestinationAsync"/> before each test.</summary>
    protected Destination Destination =>
        _destination ?? throw new InvalidOperationException("The destination is created in InitializeAsync.");

    /// <summary>How many rows the interrupted batch holds; large enough that the write takes a while.</summary>
    protected virtual int InterruptedBatchRowCount => 200_000;

    /// <summary>
    /// Creates a destination writing into a namespace (file, schema, database) unique to this test class instance,
    /// so tests never see each other's tables. Called once per test.
    /// </summary>
    protected abstract Task<Destination> CreateDestinationAsync();

    /// <summary>
    /// Breaks the destination's connection(s) to its server while a large <see cref="Destination.WriteAsync"/> is
    /// in flight (e.g. <c>pg_terminate_backend</c>, closing the HTTP connection). The suite calls it once the write
    /// has consumed a quarter of its rows. An embedded database simulates it with <see cref="CancelInFlightWrites"/>.
    /// </summary>
    protected abstract Task InterruptWritesAsync(Destination destination);

    /// <summary>Extra cleanup after each test (drop the schema or database, delete the file).</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>Quotes an identifier in the destination's dialect for the SQL this suite passes to QueryAsync.</summary>
    protected virtual string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>How SQL given to QueryAsync names a table of this destination (qualify it if QueryAsync needs that).</summary>
    protected virtual string QualifiedTableName(string table) => QuoteIdentifier(table);

    /// <summary>Statements that QueryAsync must refuse (and leave without effect) for the table named.</summary>
    protected virtual IEnumerable<string> WriteStatementsToRefuse(string qualifiedTable) =>
    [
        $"INSERT INTO {qualifiedTable} ({QuoteIdentifier("id")}, {QuoteIdentifier("name")}) VALUES (100, 'intruder')",
        $"UPDATE {qualifiedTable} SET {QuoteIdentifier("name")} = 'intruder'",
        $"DELETE FROM {qualifiedTable}",
        $"TRUNCATE TABLE {qualifiedTable}",
        $"DROP TABLE {qualifiedTable}",
        $"CREATE TABLE {QualifiedTableName("intruder")} ({QuoteIdentifier("id")} BIGINT)",
        $"SELECT 1; DROP TABLE {qualifiedTable}",
    ];

    /// <summary>
    /// Cancels the token the suite passed to the write in flight (for destinations that cannot lose a network
    /// connection and simulate an interruption with cancellation).
    /// </summary>
    protected void CancelInFlightWrites() => _inFlightWrites?.Cancel();

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _destination = await CreateDestinationAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_destination is not null)
        {
            await _destination.DisposeAsync().ConfigureAwait(false);
        }

        _inFlightWrites?.Dispose();
        await CleanupAsync().ConfigureAwait(false);
    }

    [Fact]
    public async Task CheckAsync_ReachableDestination_Succeeds()
    {
        await Destination.CheckAsync();
    }

    [Fact]
    public async Task TableExistsAsync_BeforeAndAfterEnsureTable_ReportsTheTruth()
    {
        var schema = SampleRows.RecordsSchema("exists_check");

        Assert.False(await Destination.TableExistsAsync("exists_check"));
        await Destination.EnsureTableAsync(schema);

        Assert.True(await Destination.TableExistsAsync("exists_check"));
        Assert.False(await Destination.TableExistsAsync("exists_check_other"));
    }

    [Fact]
    public async Task WriteAsync_NewTable_RowsReadBackWithTheirValuesAndTypes()
    {
        var schema = SampleRows.RecordsSchema("records");
        var rows = SampleRows.Records(250, seed: 1).ToList();

        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        AssertRows(schema, rows, await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task EnsureTableAsync_CalledAgainWithSameSchema_KeepsRows()
    {
        var schema = SampleRows.RecordsSchema("records");
        var rows = SampleRows.Records(10, seed: 2).ToList();
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        await Destination.EnsureTableAsync(schema);
        await Destination.EnsureTableAsync(schema);

        AssertRows(schema, rows, await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_EmptyBatch_WritesNothing()
    {
        var schema = SampleRows.RecordsSchema("records");
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, []), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(schema, []), WriteMode.Append);

        Assert.Empty(await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_MergeSameKeysWithChangedValues_UpdatesWithoutDuplicates()
    {
        var schema = SampleRows.RecordsSchema("records");
        var first = SampleRows.Records(100, seed: 3).ToList();
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, first), WriteMode.Merge);

        // Ids 51..150 with other values: 50 updates, 50 inserts.
        var second = SampleRows.Records(100, seed: 4, firstId: 51).ToList();
        await Destination.WriteAsync(new RecordBatch(schema, second), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(schema, second), WriteMode.Merge);

        var expected = first.Take(50).Concat(second).ToList();
        var actual = await ReadSortedAsync(schema);
        Assert.Equal(150, actual.Count);
        Assert.NotEqual(first[60][7], second[10][7]);
        AssertRows(schema, expected, actual);
    }

    [Fact]
    public async Task WriteAsync_MergeBatchWithRepeatedKey_LastRowOfTheKeyWins()
    {
        var schema = KeyValueSchema("repeated");
        await Destination.EnsureTableAsync(schema);

        object?[][] batch = [[1L, "first"], [2L, "only"], [1L, "second"], [1L, "last"]];
        await Destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Merge);

        AssertRows(schema, [[1L, "last"], [2L, "only"]], await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_AppendMode_InsertsEveryRowEvenRepeated()
    {
        var schema = new TableSchema(
            "events",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("name", ColumnType.String)],
            []);
        await Destination.EnsureTableAsync(schema);
        object?[][] batch = [[1L, "a"], [2L, "b"], [2L, "b"]];

        await Destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Append);
        await Destination.WriteAsync(new RecordBatch(schema, batch), WriteMode.Append);

        var actual = await ReadSortedAsync(schema, "id", "name");
        AssertRows(schema, [[1L, "a"], [1L, "a"], [2L, "b"], [2L, "b"], [2L, "b"], [2L, "b"]], actual);
    }

    [Fact]
    public async Task EnsureTableAsync_AddedColumn_KeepsDataAndOldRowsHaveNull()
    {
        var v1 = KeyValueSchema("evolving");
        await Destination.EnsureTableAsync(v1);
        await Destination.WriteAsync(new RecordBatch(v1, [[1L, "one"], [2L, "two"]]), WriteMode.Merge);

        // The new column comes in the middle of the stream's schema: destinations map columns by name, not position.
        var v2 = new TableSchema(
            "evolving",
            [
                new ColumnSchema("id", ColumnType.Int64),
                new ColumnSchema("amount", ColumnType.Decimal),
                new ColumnSchema("name", ColumnType.String),
            ],
            ["id"]);
        await Destination.EnsureTableAsync(v2);
        await Destination.WriteAsync(new RecordBatch(v2, [[3L, 30.5m, "three"], [2L, 20.25m, "two again"]]), WriteMode.Merge);

        AssertRows(
            v2,
            [[1L, null, "one"], [2L, 20.25m, "two again"], [3L, 30.5m, "three"]],
            await ReadSortedAsync(v2));
        AssertRows(v1, [[1L, "one"], [2L, "two again"], [3L, "three"]], await ReadSortedAsync(v1));
    }

    [Fact]
    public async Task EnsureTableAsync_IncompatibleTypeChange_ThrowsConfigNamingTableAndColumn()
    {
        var v1 = new TableSchema(
            "typed",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Int64)],
            ["id"]);
        await Destination.EnsureTableAsync(v1);
        await Destination.WriteAsync(new RecordBatch(v1, [[1L, 10L]]), WriteMode.Merge);

        var v2 = new TableSchema(
            "typed",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.String)],
            ["id"]);
        var error = await Assert.ThrowsAnyAsync<MyBiException>(() => Destination.EnsureTableAsync(v2).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("typed", error.Message, StringComparison.Ordinal);
        Assert.Contains("amount", error.Message, StringComparison.Ordinal);
        AssertRows(v1, [[1L, 10L]], await ReadSortedAsync(v1));
    }

    [Fact]
    public async Task WriteAsync_CyrillicAndEmojiText_RoundTripsExactly()
    {
        string[] texts =
        [
            "Анна Иванова",
            "Ёлка, щётка, объём: ЁЁЁ ёёё",
            "Маникюр 💅 + педикюр 🦶🏽",
            "👩‍👩‍👧‍👦 семья",
            "e\u0301 and é",
            "中文 العربية עברית",
            "quote ' double \" backslash \\ tab \t newline \n end",
            "",
            "   leading and trailing spaces   ",
        ];
        var schema = new TableSchema(
            "texts",
            [
                new ColumnSchema("id", ColumnType.Int64),
                new ColumnSchema("text", ColumnType.String),
                new ColumnSchema("doc", ColumnType.Json),
            ],
            ["id"]);
        var rows = texts
            .Select((text, i) => new object?[]
            {
                (long)i + 1,
                text,
                System.Text.Json.JsonSerializer.Serialize(new { name = text, tags = new[] { "ВИП", "🔥" } }),
            })
            .ToList();
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        var actual = await ReadSortedAsync(schema);
        AssertRows(schema, rows, actual);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], (string?)actual[i][1], StringComparer.Ordinal);
        }
    }

    [Fact]
    public async Task WriteAsync_NullInEveryColumnType_ReadsBackNull()
    {
        var schema = EveryTypeSchema("nulls");
        await Destination.EnsureTableAsync(schema);
        object?[][] rows =
        [
            [1L, null, null, null, null, null, null, null, null],
            [2L, "x", 7L, 1.5m, 2.5, true, new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.FromHours(3)), new DateOnly(2024, 5, 1), "{\"a\":1}"],
            [3L, null, 0L, 0m, 0.0, false, null, null, "[]"],
        ];

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        var actual = await ReadSortedAsync(schema);
        AssertRows(schema, rows, actual);
        Assert.All(actual[0].Skip(1), Assert.Null);
    }

    [Fact]
    public async Task WriteAsync_MoneyValues_KeepExactDecimalsAndSumExactly()
    {
        var schema = new TableSchema(
            "money",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal)],
            ["id"]);
        decimal[] amounts =
        [
            12345678901234.5678m, 0.0001m, 0.1m, 0.2m, -999.9999m, 0m, 99999999999999.9999m, -99999999999999.9999m, 1000.10m,
        ];
        var rows = amounts.Select((amount, i) => new object?[] { (long)i + 1, amount }).ToList();
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        var actual = await ReadSortedAsync(schema);
        AssertRows(schema, rows, actual);
        var table = QualifiedTableName("money");
        var amount = QuoteIdentifier("amount");
        var id = QuoteIdentifier("id");
        Assert.Equal(amounts.Sum(), ToDecimal(await ScalarAsync($"SELECT SUM({amount}) FROM {table}")));
        Assert.Equal(0.3m, ToDecimal(await ScalarAsync($"SELECT SUM({amount}) FROM {table} WHERE {id} IN (3, 4)")));
        Assert.Equal(12345678901234.5679m, ToDecimal(await ScalarAsync($"SELECT SUM({amount}) FROM {table} WHERE {id} IN (1, 2)")));
    }

    [Theory]
    [InlineData(WriteMode.Append)]
    [InlineData(WriteMode.Merge)]
    public async Task WriteAsync_DecimalWiderThanItsColumn_FailsTheBatchWithATypedErrorAndWritesNothing(WriteMode mode)
    {
        var schema = new TableSchema(
            "narrow_money",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("amount", ColumnType.Decimal) { Precision = 4, Scale = 2 }],
            ["id"]);
        await Destination.EnsureTableAsync(schema);

        var error = await Assert.ThrowsAsync<MyBiException>(
            () => Destination.WriteAsync(new RecordBatch(schema, [[1L, 1.23m], [2L, 12345.67m]]), mode).AsTask());

        Assert.Equal(FailureKind.Config, error.Kind);
        Assert.Contains("narrow_money", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, ToLong(await ScalarAsync($"SELECT count(*) FROM {QualifiedTableName("narrow_money")}")));
    }

    [Fact]
    public async Task WriteAsync_TimestampsWithOffsets_KeepTheirInstants()
    {
        var schema = new TableSchema(
            "instants",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("at", ColumnType.Timestamp)],
            ["id"]);
        DateTimeOffset[] instants =
        [
            new(2024, 3, 10, 14, 30, 15, 123, TimeSpan.FromHours(3)),
            new(2024, 3, 10, 14, 30, 15, 123, TimeSpan.FromHours(5)),
            new(2024, 3, 10, 16, 30, 15, 123, TimeSpan.FromHours(5)),
            new(2024, 12, 31, 23, 59, 59, 999, TimeSpan.FromHours(5)),
            new(2024, 1, 1, 1, 0, 0, TimeSpan.FromHours(5.5)),
            new(1999, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new(2038, 1, 19, 3, 14, 8, TimeSpan.Zero),
            new(2024, 7, 1, 9, 0, 0, TimeSpan.FromHours(-4)),
        ];
        var rows = instants.Select((at, i) => new object?[] { (long)i + 1, at }).ToList();
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        var actual = await ReadSortedAsync(schema);
        AssertRows(schema, rows, actual);
        Assert.NotEqual(((DateTimeOffset)actual[0][1]!).UtcDateTime, ((DateTimeOffset)actual[1][1]!).UtcDateTime);
        Assert.Equal(((DateTimeOffset)actual[0][1]!).UtcDateTime, ((DateTimeOffset)actual[2][1]!).UtcDateTime);
    }

    [Fact]
    public async Task WriteAsync_WallClocks_KeepTheirReadingThroughMergeFiltersAndDeletes()
    {
        var schema = new TableSchema(
            "wall_clocks",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("at", ColumnType.LocalDateTime)],
            ["id"]);
        DateTime[] readings =
        [
            new(2024, 3, 10, 23, 40, 15, 123),
            new(2024, 3, 11, 0, 10, 0),
            new(1999, 1, 1, 0, 0, 0),
            new(2038, 1, 19, 3, 14, 8),
            new(2024, 7, 1, 9, 0, 0),
        ];
        var rows = readings.Select((at, i) => new object?[] { (long)i + 1, at }).ToList();
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        // Existing keys go through the destination's merge path, which must keep the reading too.
        rows[4] = [5L, new DateTime(2024, 7, 1, 21, 5, 0)];
        await Destination.WriteAsync(new RecordBatch(schema, [rows[4]]), WriteMode.Merge);

        AssertRows(schema, rows, await ReadSortedAsync(schema));
        var table = QualifiedTableName("wall_clocks");
        Assert.Equal(23m, ToDecimal(await ScalarAsync($"SELECT EXTRACT(HOUR FROM {QuoteIdentifier("at")}) FROM {table} WHERE {QuoteIdentifier("id")} = 1")));

        var midnight = new DateTime(2024, 3, 11, 0, 0, 0);
        var later = new List<long>();
        await foreach (var row in Destination.ReadRowsAsync(schema, [new RowCondition("at", ConditionOperator.GreaterOrEqual, midnight)]).ConfigureAwait(false))
        {
            later.Add((long)row[0]!);
        }

        Assert.Equal([2L, 4L, 5L], later.Order());
        await Destination.DeleteAsync(schema, [new RowCondition("at", ConditionOperator.Less, midnight)]);
        Assert.Equal([2L, 4L, 5L], (await ReadSortedAsync(schema)).Select(r => (long)r[0]!));
    }

    [Fact]
    public async Task WriteAsync_Dates_RoundTripAsDateOnly()
    {
        var schema = new TableSchema(
            "dates",
            [new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("day", ColumnType.Date)],
            ["id"]);
        DateOnly[] days = [new(2024, 2, 29), new(1970, 1, 1), new(1950, 5, 17), new(2099, 12, 31), new(2025, 1, 1)];
        var rows = days.Select((day, i) => new object?[] { (long)i + 1, day }).ToList();
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        AssertRows(schema, rows, await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task WriteAsync_OneMegabyteString_RoundTripsExactly()
    {
        var builder = new StringBuilder();
        for (var i = 0; builder.Length < 1 << 20; i++)
        {
            builder.Append("Строка ").Append(i).Append(" 😀 line\n");
        }

        var text = builder.ToString();
        var schema = KeyValueSchema("long_text");
        await Destination.EnsureTableAsync(schema);

        await Destination.WriteAsync(new RecordBatch(schema, [[1L, text], [2L, "short"]]), WriteMode.Merge);

        var actual = await ReadSortedAsync(schema);
        Assert.Equal(2, actual.Count);
        var read = Assert.IsType<string>(actual[0][1]);
        Assert.Equal(text.Length, read.Length);
        Assert.True(string.Equals(text, read, StringComparison.Ordinal), "The 1 MB string came back changed.");
    }

    [Fact]
    public async Task WriteAsync_CompositePrimaryKey_MergesOnAllKeyColumns()
    {
        var schema = new TableSchema(
            "composite",
            [
                new ColumnSchema("company_id", ColumnType.Int64),
                new ColumnSchema("code", ColumnType.String),
                new ColumnSchema("amount", ColumnType.Decimal),
            ],
            ["company_id", "code"]);
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(
            new RecordBatch(schema, [[1L, "а-1", 10m], [1L, "а-2", 20m], [2L, "а-1", 30m]]),
            WriteMode.Merge);

        await Destination.WriteAsync(
            new RecordBatch(schema, [[1L, "а-1", 11m], [2L, "а-2", 40m], [2L, "а-1", 31m]]),
            WriteMode.Merge);

        AssertRows(
            schema,
            [[1L, "а-1", 11m], [1L, "а-2", 20m], [2L, "а-1", 31m], [2L, "а-2", 40m]],
            await ReadSortedAsync(schema, "company_id", "code"));
    }

    [Fact]
    public async Task WriteAsync_InterruptedLargeBatch_LeavesNoneOrAllAndRetryIsExact()
    {
        var count = InterruptedBatchRowCount;
        var schema = SampleRows.RecordsSchema("interrupted");
        var rows = SampleRows.Records(count, seed: 11).ToList();
        await Destination.EnsureTableAsync(schema);

        var tracked = new RowListWithProgress(rows, signalAt: count / 4);
        using var cancellation = new CancellationTokenSource();
        _inFlightWrites = cancellation;
        var write = Task.Run(async () => await Destination.WriteAsync(new RecordBatch(schema, tracked), WriteMode.Merge, cancellation.Token));
        await Task.WhenAny(tracked.Reached, write);
        await InterruptWritesAsync(Destination);
        Exception? failure = null;
        try
        {
            await write;
        }
#pragma warning disable CA1031 // The outcome is examined below: a throw is as acceptable as a completed write.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        finally
        {
            _inFlightWrites = null;
        }

        if (failure is not null)
        {
            Assert.True(
                failure is OperationCanceledException or MyBiException { Kind: FailureKind.Transient },
                $"An interrupted write must fail as cancelled or with a Transient MyBiException (so the engine retries it), got: {failure}");
        }

        var afterInterruption = await SummarizeAsync(schema, rows);
        Assert.True(
            afterInterruption.Rows == 0 || afterInterruption.Rows == count,
            $"After the interruption the table holds {afterInterruption.Rows} of {count} rows: a batch must land whole or not at all.");
        if (failure is null)
        {
            Assert.Equal(count, afterInterruption.Rows);
        }

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        var afterRetry = await SummarizeAsync(schema, rows);
        Assert.Equal(count, afterRetry.Rows);
        Assert.Equal(count, afterRetry.DistinctIds);
        Assert.Equal(rows.Sum(r => (decimal)r[7]!), afterRetry.CostSum);
        Assert.Equal(0, afterRetry.Mismatches);
    }

    [Fact]
    public async Task QueryAsync_WriteStatements_AreRefusedAndChangeNothing()
    {
        var schema = KeyValueSchema("guarded");
        object?[][] rows = [[1L, "a"], [2L, "b"], [3L, "c"]];
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        foreach (var sql in WriteStatementsToRefuse(QualifiedTableName("guarded")))
        {
            var error = await Assert.ThrowsAnyAsync<MyBiException>(() => Destination.QueryAsync(sql, 10).AsTask());
            Assert.True(error.Kind == FailureKind.Config, $"QueryAsync refused '{sql}' as {error.Kind}, expected Config: {error.Message}");
        }

        Assert.True(await Destination.TableExistsAsync("guarded"));
        Assert.False(await Destination.TableExistsAsync("intruder"));
        AssertRows(schema, rows, await ReadSortedAsync(schema));
    }

    [Fact]
    public async Task QueryAsync_MoreRowsThanLimit_ReturnsLimitAndFlagsTruncation()
    {
        var schema = KeyValueSchema("limited");
        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(
            new RecordBatch(schema, [[1L, "a"], [2L, "b"], [3L, "c"], [4L, "d"], [5L, "e"]]),
            WriteMode.Merge);
        var sql = $"SELECT {QuoteIdentifier("id")}, {QuoteIdentifier("name")} FROM {QualifiedTableName("limited")} ORDER BY {QuoteIdentifier("id")}";

        var limited = await Destination.QueryAsync(sql, 2);
        var all = await Destination.QueryAsync(sql, 10);

        Assert.Equal(["id", "name"], limited.Columns);
        Assert.Equal(2, limited.Rows.Count);
        Assert.True(limited.Truncated);
        Assert.Equal(5, all.Rows.Count);
        Assert.False(all.Truncated);
        Assert.Equal(["a", "b", "c", "d", "e"], all.Rows.Select(r => (string?)r[1]));
        Assert.Equal(5L, ToLong(all.Rows[4][0]));
    }

    [Fact]
    public async Task Identifiers_ReservedWordsDashUppercaseAndQuotes_AreQuotedEverywhere()
    {
        const string table = "Order-Items";
        var schema = new TableSchema(
            table,
            [
                new ColumnSchema("order", ColumnType.Int64),
                new ColumnSchema("select", ColumnType.String),
                new ColumnSchema("Group Name", ColumnType.String),
                new ColumnSchema("it's", ColumnType.Decimal),
            ],
            ["order"]);
        Assert.False(await Destination.TableExistsAsync(table));

        await Destination.EnsureTableAsync(schema);
        await Destination.WriteAsync(new RecordBatch(schema, [[1L, "a", "Первая", 1.5m], [2L, "b", "Вторая", 2.5m]]), WriteMode.Merge);
        await Destination.WriteAsync(new RecordBatch(schema, [[2L, "b2", "Вторая", 3.5m]]), WriteMode.Merge);
        var extended = new TableSchema(table, [.. schema.Columns, new ColumnSchema("from", ColumnType.Boolean)], ["order"]);
        await Destination.EnsureTableAsync(extended);
        await Destination.WriteAsync(new RecordBatch(extended, [[3L, "c", null, null, true]]), WriteMode.Merge);

        Assert.True(await Destination.TableExistsAsync(table));
        AssertRows(
            extended,
            [[1L, "a", "Первая", 1.5m, null], [2L, "b2", "Вторая", 3.5m, null], [3L, "c", null, null, true]],
            await ReadSortedAsync(extended, "order"));
        var result = await Destination.QueryAsync(
            $"SELECT {QuoteIdentifier("select")}, {QuoteIdentifier("it's")} FROM {QualifiedTableName(table)} WHERE {QuoteIdentifier("order")} = 2",
            10);
        Assert.Equal(["select", "it's"], result.Columns);
        var row = Assert.Single(result.Rows);
        Assert.Equal("b2", row[0]);
        Assert.Equal(3.5m, ToDecimal(row[1]));
    }
}
