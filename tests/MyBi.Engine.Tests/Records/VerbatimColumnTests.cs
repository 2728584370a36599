using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Records;

/// <summary>A verbatim column is JSON kept as written: only JSON columns can be one, and no key column can.</summary>
public sealed class VerbatimColumnTests
{
    [Theory]
    [InlineData(ColumnType.String)]
    [InlineData(ColumnType.Int64)]
    [InlineData(ColumnType.Timestamp)]
    public void Verbatim_OnAColumnThatIsNotJson_IsRefusedNamingTheColumn(ColumnType type)
    {
        var error = Assert.Throws<ArgumentException>(() => new ColumnSchema("body", type) { Verbatim = true });

        Assert.Contains("'body'", error.Message, StringComparison.Ordinal);
        Assert.Contains("only a Json column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbatim_JsonColumn_IsKeptAndNotVerbatimByDefault()
    {
        Assert.True(new ColumnSchema("body", ColumnType.Json) { Verbatim = true }.Verbatim);
        Assert.False(new ColumnSchema("body", ColumnType.Json).Verbatim);
    }

    [Fact]
    public void TableSchema_VerbatimColumnInThePrimaryKey_IsRefused()
    {
        ColumnSchema[] columns = [new("id", ColumnType.Int64), new("body", ColumnType.Json) { Verbatim = true }];

        var error = Assert.Throws<ArgumentException>(() => new TableSchema("raw", columns, ["id", "body"]));

        Assert.Contains("'body'", error.Message, StringComparison.Ordinal);
        Assert.Contains("verbatim", error.Message, StringComparison.Ordinal);
        Assert.Equal(["id"], new TableSchema("raw", columns, ["id"]).PrimaryKey);
    }
}
