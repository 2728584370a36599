using System.Text.Json.Nodes;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using MyBi.Destinations.DuckDb;
using MyBi.Engine.Reconciliation;

namespace MyBi.Engine.Tests.Reconciliation;

public sealed class DayComparerTests : IAsyncLifetime
{
    private static readonly DateOnly s_day = new(2026, 11, 10);

    private static readonly TableSchema s_table = new(
        "lines",
        [
            new ColumnSchema("id", ColumnType.Int64),
            new ColumnSchema("company_id", ColumnType.Int64),
            new ColumnSchema("date_local", ColumnType.Date),
            new ColumnSchema("cost", ColumnType.Decimal),
            new ColumnSchema("attendance", ColumnType.Int64),
            new ColumnSchema("deleted", ColumnType.Boolean),
        ],
        ["id"]);

    private readonly string _folder = Directory.CreateTempSubdirectory("mybi-compare-").FullName;
    private Destination _destination = null!;

    public async Task InitializeAsync()
    {
        _destination = new DuckDbDestinationProvider().Create(new JsonObject { ["type"] = "duckdb", ["path"] = "compare.duckdb" }, _folder);
        await _destination.EnsureTableAsync(s_table);
    }

    public async Task DisposeAsync()
    {
        await _destination.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task CompareAsync_OneDayOfEveryKind_NamesUpToTheCapAndCountsTheRest()
    {
        // Warehouse: ids 1..6 on the day of company 7, id 9 on the day of company 8 (a company the source no longer has).
        await _destination.WriteAsync(new RecordBatch(s_table,
        [
            [1L, 7L, s_day, 100.00m, 1L, false],
            [2L, 7L, s_day, 200m, 1L, false],
            [3L, 7L, s_day, 300m, 1L, false],
            [4L, 7L, s_day, 400m, 1L, null],
            [5L, 7L, s_day, 500m, 1L, true],
            [6L, 7L, s_day.AddDays(1), 600m, 0L, false],
            [9L, 8L, s_day, 900m, 1L, false],
        ]), WriteMode.Merge);
        var digest = new TableDigest(s_table);
        digest.Add([1L, 7L, s_day, 100m, 1L, null]);      // same (scale and a missing deleted flag do not differ)
        digest.Add([2L, 7L, s_day, 250m, 1L, false]);     // cost changed
        digest.Add([3L, 7L, s_day, 300m, -1L, false]);    // attendance changed
        digest.Add([4L, 7L, s_day, 400m, 1L, true]);      // deleted at the source
        digest.Add([8L, 7L, s_day, 800m, 1L, false]);     // missing in the warehouse
        digest.Add([6L, 7L, s_day.AddDays(1), 600m, 0L, false]);

        var outcome = await new DayComparer(_destination, maxNamed: 2).CompareAsync(digest, s_day, s_day.AddDays(1), null, default);

        Assert.Equal(3, outcome.DaysCompared);
        Assert.Equal(2, outcome.Differences.Count);
        var day = outcome.Differences.Single(d => d.CompanyId == 7);
        Assert.Equal((s_day, 5L, 5L, 1L, 0L, 3L), (day.Day, day.WarehouseRows, day.SourceRows, day.Missing, day.Extra, day.Changed));
        Assert.Equal(2, day.Rows.Count);
        Assert.Equal(2, day.Unnamed);
        var first = day.Rows[0];
        Assert.Equal(("id=2", "changed", "cost", 200m, 250m), (first.Key, first.Kind, first.Field, (decimal)first.WarehouseValue!, (decimal)first.SourceValue!));
        Assert.Equal(["cost"], first.Fields);
        Assert.Equal(("id=3", "attendance", 1L, -1L), (day.Rows[1].Key, day.Rows[1].Field, day.Rows[1].WarehouseValue, day.Rows[1].SourceValue));

        // Id 5 is deleted in the warehouse and absent at the source: they agree. Id 9's company is read too.
        var other = outcome.Differences.Single(d => d.CompanyId == 8);
        Assert.Equal((1L, 0L, 1L), (other.WarehouseRows, other.SourceRows, other.Extra));
        Assert.Equal("id=9", Assert.Single(other.Rows).Key);
        Assert.Equal(["id=9"], outcome.Extras[(8L, s_day)]);
    }

    [Theory]
    [InlineData("cost", 100.0, 100.00, true)]
    [InlineData("cost", 100.0, 100.01, false)]
    [InlineData("deleted", null, false, true)]
    [InlineData("deleted", true, false, false)]
    [InlineData("attendance", null, 0L, false)]
    public void Same_ComparesByValue(string field, object? warehouse, object? source, bool same)
    {
        static object? Typed(object? value) => value is double d ? (decimal)d : value;

        Assert.Equal(same, DayComparer.Same(field, Typed(warehouse), Typed(source)));
    }
}
