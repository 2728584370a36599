using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Normalization;

public sealed class LenientValueParseTests
{
    private static object? Convert(string json, ColumnType type) =>
        LenientValue.Parse(JsonNode.Parse(json), type);

    [Theory]
    [InlineData("\"79067\"", 79067L)]
    [InlineData("79067", 79067L)]
    [InlineData("\"1680739923\"", 1680739923L)]
    [InlineData("4294967297", 4294967297L)]
    [InlineData("\"12.00\"", 12L)]
    public void Int64_NumberOrString_Parses(string json, long expected) => Assert.Equal(expected, Convert(json, ColumnType.Int64));

    [Theory]
    [InlineData("\"1000.00\"", "1000.00")]
    [InlineData("\"1.07\"", "1.07")]
    [InlineData("8010", "8010")]
    [InlineData("33.71", "33.71")]
    [InlineData("\"3 221,72\"", "3221.72")]
    [InlineData("-1450", "-1450")]
    public void Decimal_NumberOrFormattedString_IsExact(string json, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Convert(json, ColumnType.Decimal));

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("\"0\"", false)]
    [InlineData("\"1\"", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Boolean_ZeroOneOrBool_Parses(string json, bool expected) => Assert.Equal(expected, Convert(json, ColumnType.Boolean));

    [Fact]
    public void Boolean_OtherNumber_Fails() => Assert.Throws<FormatException>(() => Convert("2", ColumnType.Boolean));

    [Theory]
    [InlineData("\"2020-10-29T13:34:26+0300\"", "2020-10-29T10:34:26Z", 3)]
    [InlineData("\"2019-01-16T16:00:00+09:00\"", "2019-01-16T07:00:00Z", 9)]
    [InlineData("\"2024-03-01T16:41:02+0500\"", "2024-03-01T11:41:02Z", 5)]
    [InlineData("\"2024-03-01 15:00:00\"", "2024-03-01T15:00:00Z", 0)]
    public void Timestamp_OffsetWithOrWithoutColon_KeepsInstantAndOffset(string json, string utc, int offsetHours)
    {
        var value = Assert.IsType<DateTimeOffset>(Convert(json, ColumnType.Timestamp));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
        Assert.Equal(TimeSpan.FromHours(offsetHours), value.Offset);
    }

    [Fact]
    public void Date_FromDateTimeText_KeepsLocalCalendarDay() =>
        Assert.Equal(new DateOnly(2024, 3, 1), Convert("\"2024-03-01T00:30:00+03:00\"", ColumnType.Date));

    [Theory]
    [InlineData(ColumnType.Int64)]
    [InlineData(ColumnType.Decimal)]
    [InlineData(ColumnType.Boolean)]
    [InlineData(ColumnType.Timestamp)]
    public void EmptyString_ForNonText_IsNull(ColumnType type) => Assert.Null(Convert("\"\"", type));

    [Fact]
    public void EmptyArray_WhereObjectExpected_IsNull() => Assert.Null(Convert("[]", ColumnType.Int64));

    [Fact]
    public void Json_KeepsStructure() => Assert.Equal("[{\"id\":1}]", Convert("[{\"id\":1}]", ColumnType.Json));

    [Fact]
    public void Int64_Garbage_FailsWithReason()
    {
        var ex = Assert.Throws<FormatException>(() => Convert("\"abc\"", ColumnType.Int64));
        Assert.Contains("integer", ex.Message, StringComparison.Ordinal);
    }
}
