using System.Globalization;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Tests.Records;

/// <summary>
/// Every form the lenient reader accepts or refuses, per column type. Rows marked "was:" are values the engine's
/// normalizer, the rules' converter and the YCLIENTS connector used to read differently; the expected value is
/// the one all three now share.
/// </summary>
public sealed class LenientValueTests
{
    private const string Fails = "!";
    private const string Absent = "null";

    public static TheoryData<string, ColumnType, string> Forms => new()
    {
        // Integers: numbers, numeric texts, integral decimals.
        { "79067", ColumnType.Int64, "79067" },
        { "\"79067\"", ColumnType.Int64, "79067" },
        { "\" 42 \"", ColumnType.Int64, "42" },
        { "4294967297", ColumnType.Int64, "4294967297" },
        { "\"12.00\"", ColumnType.Int64, "12" },
        { "12.0", ColumnType.Int64, "12" },
        { "\"1,000\"", ColumnType.Int64, "1000" },
        { "-5", ColumnType.Int64, "-5" },
        { "true", ColumnType.Int64, "1" }, // was: connector null, rules refused; engine 1
        { "false", ColumnType.Int64, "0" },
        { "1.5", ColumnType.Int64, Fails },
        { "\"abc\"", ColumnType.Int64, Fails },
        { "\"12345678901234567890\"", ColumnType.Int64, Fails },
        { "12345678901234567890", ColumnType.Int64, Fails },
        { "1e30", ColumnType.Int64, Fails },
        { "[1]", ColumnType.Int64, Fails },
        { "{\"id\":1}", ColumnType.Int64, Fails },
        { "\"\"", ColumnType.Int64, Absent },
        { "\"  \"", ColumnType.Int64, Absent },
        { "[]", ColumnType.Int64, Absent },
        { "null", ColumnType.Int64, Absent },

        // Decimals: numbers, texts, exponents, formatted money.
        { "\"1000.00\"", ColumnType.Decimal, "1000.00" },
        { "33.71", ColumnType.Decimal, "33.71" },
        { "-1450", ColumnType.Decimal, "-1450" },
        { "\"-60\"", ColumnType.Decimal, "-60" },
        { "\"1e-7\"", ColumnType.Decimal, "0.0000001" },
        { "1e-7", ColumnType.Decimal, "0.0000001" },
        { "\"3 221,72\"", ColumnType.Decimal, "3221.72" }, // was: connector null; engine and rules 3221.72
        { "\"3\u00A0221,72\"", ColumnType.Decimal, "3221.72" }, // was: connector null
        { "\"1,5\"", ColumnType.Decimal, "1.5" }, // was: connector null
        { "1e30", ColumnType.Decimal, Fails },
        { "\"lots\"", ColumnType.Decimal, Fails },
        { "true", ColumnType.Decimal, Fails },
        { "\"\"", ColumnType.Decimal, Absent },

        // Doubles: finite numbers only, also beyond the decimal range.
        { "1.5", ColumnType.Double, "1.5" },
        { "\"2.25\"", ColumnType.Double, "2.25" },
        { "\"1e300\"", ColumnType.Double, "1E+300" }, // was: engine refused (read through decimal); rules 1E+300
        { "\"3 221,72\"", ColumnType.Double, "3221.72" },
        { "\"NaN\"", ColumnType.Double, Fails },
        { "\"Infinity\"", ColumnType.Double, Fails },

        // Booleans: true/false, 0/1, and their texts.
        { "true", ColumnType.Boolean, "true" },
        { "false", ColumnType.Boolean, "false" },
        { "1", ColumnType.Boolean, "true" },
        { "0", ColumnType.Boolean, "false" },
        { "\"1\"", ColumnType.Boolean, "true" },
        { "\"0\"", ColumnType.Boolean, "false" },
        { "\"TRUE\"", ColumnType.Boolean, "true" },
        { "\"false\"", ColumnType.Boolean, "false" },
        { "\"yes\"", ColumnType.Boolean, "true" }, // was: connector null; engine and rules true
        { "\"N\"", ColumnType.Boolean, "false" }, // was: connector null
        { "2", ColumnType.Boolean, Fails }, // was: connector true (any non-zero number); engine and rules refused
        { "\"maybe\"", ColumnType.Boolean, Fails },
        { "\"\"", ColumnType.Boolean, Absent }, // was: connector false; engine absent

        // Timestamps: an offset with or without a colon, short, Z, or none (read as UTC).
        { "\"2020-10-29T13:34:26+0300\"", ColumnType.Timestamp, "2020-10-29T13:34:26+03:00" },
        { "\"2019-01-16T16:00:00+09:00\"", ColumnType.Timestamp, "2019-01-16T16:00:00+09:00" },
        { "\"2024-03-01T16:41:02-0500\"", ColumnType.Timestamp, "2024-03-01T16:41:02-05:00" },
        { "\"2024-03-01 16:41:02 +05:00\"", ColumnType.Timestamp, "2024-03-01T16:41:02+05:00" },
        { "\"2024-03-01T10:00:00Z\"", ColumnType.Timestamp, "2024-03-01T10:00:00+00:00" },
        { "\"2024-03-01T10:00:00.5Z\"", ColumnType.Timestamp, "2024-03-01T10:00:00.5+00:00" },
        { "\"2024-03-01T15:00:00.123+0300\"", ColumnType.Timestamp, "2024-03-01T15:00:00.123+03:00" }, // was: engine and rules refused; connector accepted
        { "\"2024-03-01T15:00+0300\"", ColumnType.Timestamp, "2024-03-01T15:00:00+03:00" },
        { "\"2024-03-01T15:00:00+03\"", ColumnType.Timestamp, "2024-03-01T15:00:00+03:00" }, // was: engine and rules refused; connector accepted
        { "\"2024-03-01 15:00:00\"", ColumnType.Timestamp, "2024-03-01T15:00:00+00:00" },
        { "\"2024-03-01T15:00\"", ColumnType.Timestamp, "2024-03-01T15:00:00+00:00" },
        { "\"2024-03-01 15:00:00.25\"", ColumnType.Timestamp, "2024-03-01T15:00:00.25+00:00" },
        { "\"2024-03-01\"", ColumnType.Timestamp, "2024-03-01T00:00:00+00:00" },
        { "\" 2024-03-01 15:00:00 \"", ColumnType.Timestamp, "2024-03-01T15:00:00+00:00" },
        { "\"2023-02-29\"", ColumnType.Timestamp, Fails },
        { "\"0000-00-00 00:00:00\"", ColumnType.Timestamp, Fails },
        { "\"yesterday\"", ColumnType.Timestamp, Fails },
        { "1709290800", ColumnType.Timestamp, Fails },
        { "\"\"", ColumnType.Timestamp, Absent },

        // Dates: yyyy-MM-dd, or a date and time whose calendar day is kept as written.
        { "\"2024-03-01\"", ColumnType.Date, "2024-03-01" },
        { "\"2024-03-01T00:30:00+03:00\"", ColumnType.Date, "2024-03-01" },
        { "\"2024-03-01T23:30:00+0300\"", ColumnType.Date, "2024-03-01" },
        { "\"2024-03-01 23:30:00\"", ColumnType.Date, "2024-03-01" },
        { "\"2024/03/01\"", ColumnType.Date, "2024-03-01" }, // was: rules refused; engine accepted
        { "\"2024-02-29\"", ColumnType.Date, "2024-02-29" },
        { "\"2023-02-29\"", ColumnType.Date, Fails },
        { "\"2024-13-01\"", ColumnType.Date, Fails },
        { "\"0000-00-00\"", ColumnType.Date, Fails },
        { "\"2024-3-01\"", ColumnType.Date, "2024-03-01" },
        { "\"nope\"", ColumnType.Date, Fails },
        { "\"\"", ColumnType.Date, Absent },

        // Wall clocks: the reading as written, an offset dropped (15:00+03:00 is 15:00 on that clock), of no kind.
        { "\"2024-03-01 15:00:00\"", ColumnType.LocalDateTime, "2024-03-01T15:00:00 Unspecified" },
        { "\"2024-03-01T23:40\"", ColumnType.LocalDateTime, "2024-03-01T23:40:00 Unspecified" },
        { "\"2024-03-01T15:00:00+03:00\"", ColumnType.LocalDateTime, "2024-03-01T15:00:00 Unspecified" },
        { "\"2024-03-01T15:00:00.5-0400\"", ColumnType.LocalDateTime, "2024-03-01T15:00:00.5 Unspecified" },
        { "\"2024-03-01\"", ColumnType.LocalDateTime, "2024-03-01T00:00:00 Unspecified" },
        { "\"nope\"", ColumnType.LocalDateTime, Fails },
        { "12", ColumnType.LocalDateTime, Fails },
        { "\"\"", ColumnType.LocalDateTime, Absent },

        // Text: kept as sent; numbers and booleans in their JSON form, objects as JSON.
        { "\"Ирина\"", ColumnType.String, "Ирина" },
        { "\"\"", ColumnType.String, "" },
        { "12.50", ColumnType.String, "12.50" },
        { "true", ColumnType.String, "true" },
        { "{\"a\":\"б\"}", ColumnType.String, "{\"a\":\"б\"}" },
        { "[]", ColumnType.String, Absent },

        // JSON: any structure, readable.
        { "[{\"id\":1}]", ColumnType.Json, "[{\"id\":1}]" },
        { "\"Ирина\"", ColumnType.Json, "\"Ирина\"" },
        { "[]", ColumnType.Json, "[]" },
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Parse_EveryForm_GivesTheSharedReading(string json, ColumnType type, string expected)
    {
        var node = JsonNode.Parse(json);

        var actual = Read(() => LenientValue.Parse(node, type));

        Assert.Equal(expected, actual);
        Assert.Equal(expected, Read(() => LenientValue.TryParse(node, type, out var value) ? value : throw new FormatException()));
        if (TypedTry(node, type) is { } typed)
        {
            // The per-type readers agree with the column reader: a value where it gives one, nothing otherwise.
            Assert.Equal(expected is Fails or Absent ? Absent : expected, typed);
        }
    }

    [Fact]
    public void Parse_TimestampValue_IsTakenAsItIs()
    {
        var stamp = new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.FromHours(5)).AddTicks(1_234_567);
        var node = JsonValue.Create(stamp);

        var value = Assert.IsType<DateTimeOffset>(LenientValue.Parse(node, ColumnType.Timestamp));

        Assert.Equal(stamp.UtcTicks, value.UtcTicks);
        Assert.Equal(stamp.Offset, value.Offset);
        Assert.Equal(new DateOnly(2024, 3, 1), LenientValue.Parse(node, ColumnType.Date));
        Assert.Equal("2024-03-01T15:00:00.1234567+05:00", LenientValue.Parse(node, ColumnType.String));
        Assert.True(LenientValue.TryParseTimestampWithOffset(node, out var withOffset));
        Assert.Equal(stamp.Offset, withOffset.Offset);
        Assert.False(LenientValue.IsAbsent(node));
        Assert.Contains("a timestamp", Assert.Throws<FormatException>(() => LenientValue.Parse(node, ColumnType.Int64)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WallClockDateTimeValue_IsReadAsUtc() =>
        Assert.Equal(
            new DateTimeOffset(2024, 3, 1, 15, 0, 0, TimeSpan.Zero),
            LenientValue.Parse(JsonValue.Create(new DateTime(2024, 3, 1, 15, 0, 0, DateTimeKind.Unspecified)), ColumnType.Timestamp));

    [Fact]
    public void Parse_TypedValuesForAWallClock_GiveTheirReadingOfNoKind()
    {
        DateTime Wall(JsonNode? node) => Assert.IsType<DateTime>(LenientValue.Parse(node, ColumnType.LocalDateTime));

        var fromOffset = Wall(JsonValue.Create(new DateTimeOffset(2024, 3, 1, 23, 40, 0, TimeSpan.FromHours(10))));
        var fromUtc = Wall(JsonValue.Create(new DateTime(2024, 3, 1, 23, 40, 0, DateTimeKind.Utc)));
        var fromDay = Wall(JsonValue.Create(new DateOnly(2024, 3, 1)));

        Assert.Equal((new DateTime(2024, 3, 1, 23, 40, 0), DateTimeKind.Unspecified), (fromOffset, fromOffset.Kind));
        Assert.Equal((new DateTime(2024, 3, 1, 23, 40, 0), DateTimeKind.Unspecified), (fromUtc, fromUtc.Kind));
        Assert.Equal(new DateTime(2024, 3, 1, 0, 0, 0), fromDay);
    }

    [Theory]
    [InlineData("2024-03-01T15:00:00+03:00", true)]
    [InlineData("2024-03-01T15:00:00+0300", true)]
    [InlineData("2024-03-01T15:00:00Z", true)]
    [InlineData("2024-03-01 15:00:00", false)]
    [InlineData("2024-03-01", false)]
    [InlineData("", false)]
    public void TryParseTimestampWithOffset_NaiveText_IsLeftToTheCaller(string text, bool expected)
    {
        Assert.Equal(expected, LenientValue.TryParseTimestampWithOffset(text, out _));
        Assert.Equal(expected, LenientValue.TryParseTimestampWithOffset(JsonValue.Create(text), out _));
    }

    [Theory]
    [InlineData("2024-03-01 15:00:00", "2024-03-01T15:00:00")]
    [InlineData("2024-03-01T15:00", "2024-03-01T15:00:00")]
    [InlineData("2024-03-01", "2024-03-01T00:00:00")]
    public void TryParseLocalDateTime_NaiveText_IsWallClockOfNoKind(string text, string expected)
    {
        Assert.True(LenientValue.TryParseLocalDateTime(text, out var local));
        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
        Assert.Equal(expected, local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0000-00-00")]
    [InlineData("0000-00-00 00:00:00")]
    [InlineData("2024-03-01T15:00:00+03:00")]
    public void TryParseLocalDateTime_NoWallClock_IsFalse(string text) => Assert.False(LenientValue.TryParseLocalDateTime(text, out _));

    private static string? TypedTry(JsonNode? node, ColumnType type) => type switch
    {
        ColumnType.Int64 => LenientValue.TryParseInt64(node, out var l) ? Canonical(l) : Absent,
        ColumnType.Decimal => LenientValue.TryParseDecimal(node, out var m) ? Canonical(m) : Absent,
        ColumnType.Double => LenientValue.TryParseDouble(node, out var d) ? Canonical(d) : Absent,
        ColumnType.Boolean => LenientValue.TryParseBoolean(node, out var b) ? Canonical(b) : Absent,
        ColumnType.Timestamp => LenientValue.TryParseTimestamp(node, out var t) ? Canonical(t) : Absent,
        ColumnType.Date => LenientValue.TryParseDate(node, out var day) ? Canonical(day) : Absent,
        _ => null,
    };

    private static string Read(Func<object?> parse)
    {
        try
        {
            return Canonical(parse());
        }
        catch (FormatException)
        {
            return Fails;
        }
    }

    private static string Canonical(object? value) => value switch
    {
        null => Absent,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture),
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime wall => wall.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + " " + wall.Kind,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
