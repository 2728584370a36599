using System.Globalization;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Records;

/// <summary>
/// The common timestamp shapes are read by a short path of their own; each must give exactly what the general
/// parser gives, and anything near them that is no valid time must still be refused.
/// </summary>
public sealed class LenientTimestampShapeTests
{
    [Theory]
    [InlineData("2024-03-01T15:04:05+03:00")]
    [InlineData("2024-03-01T15:04:05+0300")]
    [InlineData("2024-03-01 15:04:05-05:30")]
    [InlineData("2024-02-29T23:59:59Z")]
    [InlineData("2024-12-31T00:00:00+14:00")]
    [InlineData(" 2024-03-01T15:04:05+03:00 ")]
    public void Offset_shapes_read_as_the_general_parser_reads_them(string text)
    {
        var general = DateTimeOffset.Parse(text.Trim().Replace("+0300", "+03:00", StringComparison.Ordinal), CultureInfo.InvariantCulture, DateTimeStyles.None);

        Assert.True(LenientValue.TryParseTimestampWithOffset(text, out var value));
        Assert.Equal(general, value);
        Assert.Equal(general.Offset, value.Offset);
    }

    [Theory]
    [InlineData("2024-03-01 15:04:05")]
    [InlineData("2024-03-01T15:04:05")]
    [InlineData("2024-02-29 00:00:00")]
    public void Naive_shapes_read_as_wall_clock_times(string text)
    {
        var general = DateTime.ParseExact(text.Replace('T', ' '), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        Assert.True(LenientValue.TryParseLocalDateTime(text, out var local));
        Assert.Equal(general, local);
        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
        Assert.True(LenientValue.TryParseTimestamp(text, out var stamp));
        Assert.Equal(new DateTimeOffset(general, TimeSpan.Zero), stamp);
        Assert.False(LenientValue.TryParseTimestampWithOffset(text, out _));
    }

    [Theory]
    [InlineData("2023-02-29 10:00:00")]
    [InlineData("2024-13-01 10:00:00")]
    [InlineData("2024-03-01 24:00:00")]
    [InlineData("2024-03-01 10:60:00")]
    [InlineData("2024-03-0a 10:00:00")]
    [InlineData("0000-00-00 00:00:00")]
    public void Invalid_times_of_the_common_shape_are_refused(string text)
    {
        Assert.False(LenientValue.TryParseLocalDateTime(text, out _));
        Assert.False(LenientValue.TryParseTimestamp(text, out _));
        Assert.False(LenientValue.TryParseTimestampWithOffset(text + "+03:00", out _));
    }
}
