using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Records;
using Xunit;

namespace MyBi.Plugins.Testing;

public abstract partial class DestinationConformanceTests
{
    [Fact]
    public async Task ReadRowsAsync_ConditionsCombinedWithAnd_StreamOnlyCurrentMatchingRows()
    {
        var schema = ScopedSchema("scoped_read");
        await Destination.EnsureTableAsync(schema);
        var rows = new List<object?[]>();
        for (var id = 1; id <= 10; id++)
        {
            rows.Add(["a", (long)id, new DateOnly(2026, 3, id), "r1"]);
            rows.Add(["b", (long)id, new DateOnly(2026, 3, id), "r1"]);
        }

        await Destination.WriteAsync(new RecordBatch(schema, rows), WriteMode.Merge);

        // A newer version of a key moves it out of the period: only the current version is matched.
        await Destination.WriteAsync(new RecordBatch(schema, [["a", 4L, new DateOnly(2026, 4, 1), "r2"], ["a", 5L, new DateOnly(2026, 3, 5), "r2"]]), WriteMode.Merge);

        var read = new List<object?[]>();
        await foreach (var row in Destination.ReadRowsAsync(schema,
        [
            new RowCondition("job", ConditionOperator.Equal, "a"),
            new RowCondition("day", ConditionOperator.GreaterOrEqual, new DateOnly(2026, 3, 3)),
            new RowCondition("day", ConditionOperator.LessOrEqual, new DateOnly(2026, 3, 6)),
        ]))
        {
            read.Add(row);
        }

        Assert.Equal([3L, 5L, 6L], read.Select(r => (long)r[1]!).Order().ToList());
        Assert.All(read, r => Assert.Equal("a", r[0]));
        Assert.Equal("r2", read.Single(r => (long)r[1]! == 5L)[3]);

        var others = new List<object?[]>();
        await foreach (var row in Destination.ReadRowsAsync(schema, [new RowCondition("job", ConditionOperator.NotEqual, "a"), new RowCondition("day", ConditionOperator.Equal, new DateOnly(2026, 3, 2))]))
        {
            others.Add(row);
        }

        Assert.Equal(("b", 2L), (Assert.IsType<string>(Assert.Single(others)[0]), (long)others[0][1]!));

        var missing = new List<object?[]>();
        await foreach (var row in Destination.ReadRowsAsync(ScopedSchema("never_created"), [new RowCondition("job", ConditionOperator.Equal, "a")]))
        {
            missing.Add(row);
        }

        Assert.Empty(missing);
    }
}
