using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using Xunit;

namespace MyBi.Plugins.Testing;

public abstract partial class DestinationConformanceTests
{
    private static TableSchema ScopedSchema(string table) => new(
        table,
        [
            new ColumnSchema("job", ColumnType.String),
            new ColumnSchema("id", ColumnType.Int64),
            new ColumnSchema("day", ColumnType.Date),
            new ColumnSchema("run", ColumnType.String),
        ],
        ["job", "id"]);

    [Fact]
    public async Task DeleteAsync_ConditionsCombinedWithAnd_DeleteOnlyMatchingRows()
    {
        var schema = ScopedSchema("scoped_delete");
        await Destination.EnsureTableAsync(schema);
        var rows = new List<object?[]>();
        for (var id = 1; id <= 10; id++)
        {
            // Job a: days 1..10 of March, written by run r1 except ids 4 and 5 (rewritten by r2).
            rows.Add(["a", (long)id, new DateOnly(2026, 3, id), id is 4 or 5 ? "r2" : "r1"]);
            rows.Add(["b", (long)id, new DateOnly(2026, 3, id), "r1"]);
        }

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        // Replace job a's period 3..6 as run r2 would: rows of that period not rewritten by r2 go.
        await Destination.DeleteAsync(schema,
        [
            new RowCondition("job", ConditionOperator.Equal, "a"),
            new RowCondition("day", ConditionOperator.GreaterOrEqual, new DateOnly(2026, 3, 3)),
            new RowCondition("day", ConditionOperator.LessOrEqual, new DateOnly(2026, 3, 6)),
            new RowCondition("run", ConditionOperator.NotEqual, "r2"),
        ]);

        var left = await ReadSortedAsync(schema, "job", "id");
        var jobA = left.Where(r => (string)r[0]! == "a").Select(r => (long)r[1]!).ToList();
        Assert.Equal([1L, 2L, 4L, 5L, 7L, 8L, 9L, 10L], jobA);
        Assert.Equal(10, left.Count(r => (string)r[0]! == "b"));

        await Destination.DeleteAsync(schema, [new RowCondition("day", ConditionOperator.Less, new DateOnly(2026, 3, 9))]);
        var remaining = await ReadSortedAsync(schema, "job", "id");
        Assert.All(remaining, r => Assert.True((DateOnly)r[2]! >= new DateOnly(2026, 3, 9)));
        Assert.Equal(4, remaining.Count);
    }
}
