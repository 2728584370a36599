using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Abstractions.Records;

/// <summary>
/// Reads a value for a <see cref="ColumnType"/> the way real APIs send it: integers as numbers or numeric texts
/// (<c>"12.00"</c> included), money formatted as <c>"3 221,72"</c>, booleans as <c>true</c>/<c>false</c>,
/// <c>0</c>/<c>1</c> or their texts, timestamps with a <c>+03:00</c>, <c>+0300</c>, <c>+03</c> or <c>Z</c> offset or
/// none, dates as <c>yyyy-MM-dd</c> or a date and time, and <c>""</c> or PHP's <c>[]</c> for nothing. The engine,
/// the rules and connectors share it, so that a value one of them accepts is accepted by all.
/// </summary>
/// <remarks>
/// A JSON value may also hold a typed CLR value (<see cref="JsonValue.Create(DateTimeOffset, JsonNodeOptions?)"/>):
/// a connector that already knows a timestamp puts it into its row as a <see cref="DateTimeOffset"/>, and it is
/// taken as it is, without a round trip through text.
/// </remarks>
public static class LenientValue
{
    private const string NotAnInteger = "not an integer";
    private const string IntegerOutOfRange = "an integer out of the 64-bit range";
    private const string NotANumber = "not a number";
    private const string NotABoolean = "not a boolean";
    private const string NotADateTime = "not a date and time";
    private const string NotADate = "not a date";

    // Text columns keep text readable (Cyrillic stays Cyrillic); the output goes to a database, never into HTML.
    private static readonly JsonSerializerOptions s_jsonText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] s_localFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    /// <summary>
    /// Converts a JSON value to the CLR type of <paramref name="type"/>: <see cref="long"/>, <see cref="decimal"/>,
    /// <see cref="double"/>, <see cref="bool"/>, <see cref="DateTimeOffset"/> (a time without an offset is read as
    /// UTC), <see cref="DateOnly"/>, a wall-clock <see cref="DateTime"/> of unspecified kind for
    /// <see cref="ColumnType.LocalDateTime"/> (the clock reading as written, an offset dropped), or <see cref="string"/>
    /// for text and JSON columns. Absent values (null,
    /// <c>""</c> outside text columns, <c>[]</c>) give null.
    /// </summary>
    /// <exception cref="FormatException">The value cannot fit the type; the message is a short reason without the value.</exception>
    public static object? Parse(JsonNode? node, ColumnType type) =>
        ParseCore(node, type, out var value) is { } reason ? throw new FormatException(reason) : value;

    /// <summary>Like <see cref="Parse"/>, without throwing: false when the value cannot fit (absent values give true and null).</summary>
    public static bool TryParse(JsonNode? node, ColumnType type, out object? value) => ParseCore(node, type, out value) is null;

    /// <summary>An integer from a number, a numeric text (<c>"79067"</c>, <c>"12.00"</c>) or a boolean (1/0); false when absent, fractional, out of range or anything else.</summary>
    public static bool TryParseInt64(JsonNode? node, out long value)
    {
        value = 0;
        return Scalar(node, out var v, out var kind) && (kind == JsonValueKind.String ? TryParseInt64(TextOf(v), out value) : Int64Of(v, kind, out value) is null);
    }

    /// <summary>A decimal from a number or a text (<c>"1000.00"</c>, <c>"3 221,72"</c>, <c>"1e-7"</c>); false when absent, out of range or anything else.</summary>
    public static bool TryParseDecimal(JsonNode? node, out decimal value)
    {
        value = 0;
        return Scalar(node, out var v, out var kind) && (kind == JsonValueKind.String ? TryParseDecimal(TextOf(v), out value) : DecimalOf(v, kind, out value) is null);
    }

    /// <summary>A finite double from a number or a text; false when absent or anything else.</summary>
    public static bool TryParseDouble(JsonNode? node, out double value)
    {
        value = 0;
        return Scalar(node, out var v, out var kind) && (kind == JsonValueKind.String ? TryParseDouble(TextOf(v), out value) : DoubleOf(v, kind, out value) is null);
    }

    /// <summary>A boolean from true/false, the numbers 0 and 1, or the texts 1/0, true/false, y/n, yes/no (any case); false when absent or anything else.</summary>
    public static bool TryParseBoolean(JsonNode? node, out bool value)
    {
        value = false;
        return Scalar(node, out var v, out var kind) && (kind == JsonValueKind.String ? TryParseBoolean(TextOf(v), out value) : BooleanOf(v, kind, out value) is null);
    }

    /// <summary>
    /// A timestamp from a <see cref="DateTimeOffset"/> value (taken as it is) or a text with or without an offset
    /// (see <see cref="TryParseTimestamp(string?, out DateTimeOffset)"/>); a time without an offset is read as UTC.
    /// </summary>
    public static bool TryParseTimestamp(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        return Scalar(node, out var v, out var kind)
            && (kind == JsonValueKind.String && !IsTypedTime(v) ? TryParseTimestamp(TextOf(v), out value) : TimestampOf(v, kind, out value) is null);
    }

    /// <summary>
    /// A timestamp that carries its offset: a <see cref="DateTimeOffset"/> value, or a text with an offset
    /// (see <see cref="TryParseTimestampWithOffset(string?, out DateTimeOffset)"/>). A naive text gives false, so
    /// that the caller can place it in the zone it belongs to.
    /// </summary>
    public static bool TryParseTimestampWithOffset(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        if (!Scalar(node, out var v, out var kind))
        {
            return false;
        }

        if (IsTypedTime(v))
        {
            return TimestampOf(v, kind, out value) is null;
        }

        return kind == JsonValueKind.String && TryParseTimestampWithOffset(TextOf(v), out value);
    }

    /// <summary>A calendar date from a <see cref="DateOnly"/> or <see cref="DateTimeOffset"/> value or a text (see <see cref="TryParseDate(string?, out DateOnly)"/>).</summary>
    public static bool TryParseDate(JsonNode? node, out DateOnly value)
    {
        value = default;
        return Scalar(node, out var v, out var kind)
            && (kind == JsonValueKind.String && !IsTypedTime(v) ? TryParseDate(TextOf(v), out value) : DateOf(v, kind, out value) is null);
    }

    /// <summary>
    /// True for what APIs send instead of a value: no node, JSON null, an empty or blank text, or an empty list
    /// (PHP's serialisation of an empty object).
    /// </summary>
    public static bool IsAbsent(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject => false,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.Null => true,
            JsonValueKind.String => !IsTypedTime(value) && string.IsNullOrWhiteSpace(TextOf(value)),
            _ => false,
        },
        _ => false,
    };

    /// <summary>An integer text: <c>"79067"</c>, <c>" 42 "</c>, <c>"1,000"</c> or an integral decimal <c>"12.00"</c>.</summary>
    public static bool TryParseInt64(string? text, out long value)
    {
        value = 0;
        return text is not null && Int64FromText(text.Trim(), out value) is null;
    }

    /// <summary>A decimal text: <c>"1000.00"</c>, <c>"-60"</c>, <c>"1e-7"</c>, or money as <c>"3 221,72"</c> (space thousands, decimal comma).</summary>
    public static bool TryParseDecimal(string? text, out decimal value)
    {
        value = 0;
        return text is not null && DecimalFromText(text.Trim(), out value) is null;
    }

    /// <summary>A finite number text, in the forms <see cref="TryParseDecimal(string?, out decimal)"/> reads and beyond the decimal range.</summary>
    public static bool TryParseDouble(string? text, out double value)
    {
        value = 0;
        return text is not null && DoubleFromText(text.Trim(), out value) is null;
    }

    /// <summary>A boolean text: 1/0, true/false, y/n, yes/no, in any case.</summary>
    public static bool TryParseBoolean(string? text, out bool value)
    {
        value = false;
        return text is not null && BooleanFromText(text.Trim(), out value) is null;
    }

    /// <summary>
    /// A timestamp text with an offset (<c>+03:00</c>, <c>+0300</c>, <c>+03</c>, <c>Z</c>), or without one
    /// (<c>2024-03-01 15:00:00</c>, <c>2024-03-01T15:00</c>, <c>2024-03-01</c>), which is read as UTC.
    /// </summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && TimestampFromText(text.Trim(), out value) is null;
    }

    /// <summary>A timestamp text that carries its offset (<c>+03:00</c>, <c>+0300</c>, <c>+03</c>, <c>Z</c>); a naive text gives false.</summary>
    public static bool TryParseTimestampWithOffset(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.AsSpan().Trim();
        if (TryFastTimestampWithOffset(trimmed, out value))
        {
            return true;
        }

        var normalized = NormalizeOffset(text.Trim());
        return HasOffset(normalized) && DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>A wall-clock time without an offset (<c>2024-03-01 15:00:00</c>, <c>2024-03-01T15:00</c>, <c>2024-03-01</c>), of unspecified kind.</summary>
    public static bool TryParseLocalDateTime(string? text, out DateTime value)
    {
        value = default;
        if (text is not null && TryFastLocal(text.AsSpan().Trim(), out value))
        {
            return true;
        }

        return !string.IsNullOrWhiteSpace(text)
            && DateTime.TryParseExact(text.Trim(), s_localFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>
    /// A date text: <c>yyyy-MM-dd</c>, or a date and time, whose calendar day is kept as written in its own offset
    /// (<c>2024-03-01T00:30:00+03:00</c> is 1 March).
    /// </summary>
    public static bool TryParseDate(string? text, out DateOnly value)
    {
        value = default;
        return text is not null && DateFromText(text.Trim(), out value) is null;
    }

    private static bool Scalar(JsonNode? node, out JsonValue value, out JsonValueKind kind)
    {
        value = null!;
        kind = JsonValueKind.Undefined;
        if (node is not JsonValue v || IsAbsent(v))
        {
            return false;
        }

        value = v;
        kind = v.GetValueKind();
        return true;
    }

    private static string? ParseCore(JsonNode? node, ColumnType type, out object? result)
    {
        result = null;
        if (node is null)
        {
            return null;
        }

        if (type == ColumnType.Json)
        {
            result = node.ToJsonString(s_jsonText);
            return null;
        }

        switch (node)
        {
            case JsonArray array:
                // PHP serialises an empty object as []; any other list in a scalar column is a shape error.
                return array.Count == 0 ? null : "expected a single value, got a list";
            case JsonObject obj:
                result = type == ColumnType.String ? obj.ToJsonString(s_jsonText) : null;
                return result is null ? "expected a single value, got an object" : null;
        }

        var value = node.AsValue();
        var kind = value.GetValueKind();
        if (kind == JsonValueKind.Null)
        {
            return null;
        }

        if (type == ColumnType.String)
        {
            result = kind switch
            {
                JsonValueKind.String => TextOf(value),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => value.ToJsonString(),
            };
            return null;
        }

        if (kind == JsonValueKind.String && !IsTypedTime(value))
        {
            var text = TextOf(value);
            return string.IsNullOrWhiteSpace(text) ? null : FromText(text.Trim(), type, out result);
        }

        string? error;
        switch (type)
        {
            case ColumnType.Int64:
                error = Int64Of(value, kind, out var l);
                result = l;
                break;
            case ColumnType.Decimal:
                error = DecimalOf(value, kind, out var m);
                result = m;
                break;
            case ColumnType.Double:
                error = DoubleOf(value, kind, out var d);
                result = d;
                break;
            case ColumnType.Boolean:
                error = BooleanOf(value, kind, out var b);
                result = b;
                break;
            case ColumnType.Timestamp:
                error = TimestampOf(value, kind, out var t);
                result = t;
                break;
            case ColumnType.Date:
                error = DateOf(value, kind, out var day);
                result = day;
                break;
            case ColumnType.LocalDateTime:
                error = WallClockOf(value, kind, out var wall);
                result = wall;
                break;
            default:
                error = $"unsupported column type {type}";
                break;
        }

        if (error is not null)
        {
            result = null;
        }

        return error;
    }

    private static string? FromText(string text, ColumnType type, out object? result)
    {
        string? error;
        switch (type)
        {
            case ColumnType.Int64:
                error = Int64FromText(text, out var l);
                result = l;
                break;
            case ColumnType.Decimal:
                error = DecimalFromText(text, out var m);
                result = m;
                break;
            case ColumnType.Double:
                error = DoubleFromText(text, out var d);
                result = d;
                break;
            case ColumnType.Boolean:
                error = BooleanFromText(text, out var b);
                result = b;
                break;
            case ColumnType.Timestamp:
                error = TimestampFromText(text, out var t);
                result = t;
                break;
            case ColumnType.Date:
                error = DateFromText(text, out var day);
                result = day;
                break;
            case ColumnType.LocalDateTime:
                error = WallClockFromText(text, out var wall);
                result = wall;
                break;
            default:
                error = $"unsupported column type {type}";
                result = null;
                break;
        }

        if (error is not null)
        {
            result = null;
        }

        return error;
    }

    private static string? Int64FromText(string text, out long value)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            return null;
        }

        // "12.00" for an id-like integer still carries an integral value.
        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d)
        {
            return ToLong(d, out value);
        }

        return NotAnInteger;
    }

    private static string? DecimalFromText(string text, out decimal value) =>
        decimal.TryParse(CleanNumber(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value) ? null : NotANumber;

    private static string? DoubleFromText(string text, out double value) =>
        double.TryParse(CleanNumber(text), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) ? null : NotANumber;

    private static string? BooleanFromText(string text, out bool value)
    {
        switch (text.ToUpperInvariant())
        {
            case "1" or "TRUE" or "Y" or "YES":
                value = true;
                return null;
            case "0" or "FALSE" or "N" or "NO":
                value = false;
                return null;
            default:
                value = false;
                return NotABoolean;
        }
    }

    private static string? TimestampFromText(string text, out DateTimeOffset value)
    {
        if (TryParseTimestampWithOffset(text, out value))
        {
            return null;
        }

        if (TryFastLocal(text.AsSpan(), out var fast))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(fast, DateTimeKind.Utc));
            return null;
        }

        if (TryFastDay(text.AsSpan(), out var day))
        {
            value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return null;
        }

        if (DateTime.TryParseExact(text, s_localFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var naive))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(naive, DateTimeKind.Utc));
            return null;
        }

        return NotADateTime;
    }

    /// <summary>A clock reading as written: a naive text as it is, a text with an offset without it (15:00+03:00 reads 15:00).</summary>
    private static string? WallClockFromText(string text, out DateTime value)
    {
        if (TryParseTimestampWithOffset(text, out var stamp))
        {
            value = stamp.DateTime;
            return null;
        }

        return TryParseLocalDateTime(text, out value) ? null : NotADateTime;
    }

    private static string? DateFromText(string text, out DateOnly value)
    {
        if (TryFastDay(text.AsSpan(), out value)
            || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            return null;
        }

        // A date and time keeps its calendar day as written, in its own offset; other date forms the invariant
        // culture reads (2024/03/01) are kept for the sources that send them.
        if (TimestampFromText(text, out var stamp) is null
            || DateTimeOffset.TryParse(NormalizeOffset(text), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out stamp))
        {
            value = DateOnly.FromDateTime(stamp.DateTime);
            return null;
        }

        return NotADate;
    }

    private static string? Int64Of(JsonValue value, JsonValueKind kind, out long result)
    {
        result = 0;
        switch (kind)
        {
            case JsonValueKind.Number:
                if (value.TryGetValue(out result))
                {
                    return null;
                }

                if (DecimalOf(value, kind, out var d) is { } error)
                {
                    return error;
                }

                return decimal.Truncate(d) == d ? ToLong(d, out result) : NotAnInteger;
            case JsonValueKind.True:
                result = 1;
                return null;
            case JsonValueKind.False:
                return null;
            default:
                return Expected("an integer", value, kind);
        }
    }

    private static string? DecimalOf(JsonValue value, JsonValueKind kind, out decimal result)
    {
        result = 0;
        if (kind != JsonValueKind.Number)
        {
            return Expected("a number", value, kind);
        }

        if (value.TryGetValue(out result))
        {
            return null;
        }

        // Exponent forms (1e-7) and numbers built in code from an int or a double come through the JSON text;
        // beyond decimal's range (1e30) is no usable number.
        return decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out result) ? null : "a number out of range";
    }

    private static string? DoubleOf(JsonValue value, JsonValueKind kind, out double result)
    {
        result = 0;
        if (kind != JsonValueKind.Number)
        {
            return Expected("a number", value, kind);
        }

        return value.TryGetValue(out result)
            || (double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out result) && double.IsFinite(result))
            ? null
            : NotANumber;
    }

    private static string? BooleanOf(JsonValue value, JsonValueKind kind, out bool result)
    {
        result = false;
        switch (kind)
        {
            case JsonValueKind.True:
                result = true;
                return null;
            case JsonValueKind.False:
                return null;
            case JsonValueKind.Number:
                if (DecimalOf(value, kind, out var d) is null && d is 0m or 1m)
                {
                    result = d == 1m;
                    return null;
                }

                return "not a boolean (only 0 and 1 are)";
            default:
                return Expected("a boolean", value, kind);
        }
    }

    private static string? TimestampOf(JsonValue value, JsonValueKind kind, out DateTimeOffset result)
    {
        result = default;
        if (!IsTypedTime(value))
        {
            return Expected("a date text", value, kind);
        }

        if (value.TryGetValue(out result))
        {
            return null;
        }

        if (value.TryGetValue<DateTime>(out var dateTime))
        {
            // Like a naive text, a wall-clock value without a zone is read as UTC.
            result = dateTime.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(dateTime, TimeSpan.Zero) : new DateTimeOffset(dateTime);
            return null;
        }

        return Expected("a date text", value, kind);
    }

    /// <summary>A typed value's clock reading: a DateTime of any kind as it reads, a DateTimeOffset in its own offset, a date at midnight.</summary>
    private static string? WallClockOf(JsonValue value, JsonValueKind kind, out DateTime result)
    {
        result = default;
        if (!IsTypedTime(value))
        {
            return Expected("a date text", value, kind);
        }

        if (value.TryGetValue<DateTime>(out var dateTime))
        {
            result = DateTime.SpecifyKind(dateTime, DateTimeKind.Unspecified);
            return null;
        }

        if (value.TryGetValue<DateTimeOffset>(out var stamp))
        {
            result = stamp.DateTime;
            return null;
        }

        if (value.TryGetValue<DateOnly>(out var day))
        {
            result = day.ToDateTime(TimeOnly.MinValue);
            return null;
        }

        return Expected("a date text", value, kind);
    }

    private static string? DateOf(JsonValue value, JsonValueKind kind, out DateOnly result)
    {
        result = default;
        if (!IsTypedTime(value))
        {
            return Expected("a date text", value, kind);
        }

        if (value.TryGetValue(out result))
        {
            return null;
        }

        if (TimestampOf(value, kind, out var stamp) is null)
        {
            result = DateOnly.FromDateTime(stamp.DateTime);
            return null;
        }

        return Expected("a date text", value, kind);
    }

    /// <summary>True for a value built from a CLR date or time rather than from JSON text.</summary>
    /// <remarks>
    /// Values parsed from JSON text are asked first: they would read an ISO text as a <see cref="DateTimeOffset"/>
    /// by a stricter parser, in the machine's zone when the text has no offset.
    /// </remarks>
    private static bool IsTypedTime(JsonValue value) =>
        !value.TryGetValue<JsonElement>(out _) && !value.TryGetValue<string>(out _)
        && (value.TryGetValue<DateTimeOffset>(out _) || value.TryGetValue<DateTime>(out _) || value.TryGetValue<DateOnly>(out _));

    /// <summary>The text of a JSON string value, whether parsed from JSON, built from a string, or built from another CLR type that serialises as one.</summary>
    private static string TextOf(JsonValue value)
    {
        if (value.TryGetValue<string>(out var text))
        {
            return text;
        }

        if (value.TryGetValue<DateTimeOffset>(out var stamp))
        {
            return stamp.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        }

        return JsonSerializer.Deserialize<string>(value.ToJsonString()) ?? string.Empty;
    }

    private static string? ToLong(decimal value, out long result)
    {
        if (value is >= long.MinValue and <= long.MaxValue)
        {
            result = (long)value;
            return null;
        }

        result = 0;
        return IntegerOutOfRange;
    }

    // Money arrives formatted as "3 221,72" from some endpoints (space thousands, decimal comma).
    private static string CleanNumber(string text)
    {
        if (text.AsSpan().IndexOfAny(' ', '\u00A0', '\u202F') < 0 && !text.Contains(',', StringComparison.Ordinal))
        {
            return text;
        }

        var cleaned = text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("\u00A0", string.Empty, StringComparison.Ordinal)
            .Replace("\u202F", string.Empty, StringComparison.Ordinal);
        return cleaned.Contains(',', StringComparison.Ordinal) && !cleaned.Contains('.', StringComparison.Ordinal) ? cleaned.Replace(',', '.') : cleaned;
    }

    /// <summary>
    /// <c>yyyy-MM-dd</c> read digit by digit: the culture-aware exact parser cost more than anything else of a row
    /// with a date column. Anything else is left to that parser.
    /// </summary>
    private static bool TryFastDay(ReadOnlySpan<char> text, out DateOnly value)
    {
        value = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        value = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>
    /// The shape nearly every API sends, <c>yyyy-MM-dd HH:mm:ss</c> (or with a <c>T</c>), read without the general
    /// parser, which costs several times more per value; any other shape gives false and takes the general path.
    /// </summary>
    private static bool TryFastLocal(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length != 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':'
            || !TryFastDay(text[..10], out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = day.ToDateTime(new TimeOnly(hour, minute, second), DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>The common shape with an offset: <c>yyyy-MM-ddTHH:mm:ss</c> followed by <c>Z</c>, <c>+03:00</c> or <c>+0300</c>.</summary>
    private static bool TryFastTimestampWithOffset(ReadOnlySpan<char> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || !TryFastLocal(text[..19], out var local))
        {
            return false;
        }

        var offset = text[19..];
        int minutes;
        if (offset is ['Z' or 'z'])
        {
            minutes = 0;
        }
        else if (offset is ['+' or '-', _, _, ':', _, _] or ['+' or '-', _, _, _, _]
            && Digits(offset, 1, 2, out var hours) && Digits(offset, offset.Length - 2, 2, out var mins) && hours <= 14 && mins <= 59)
        {
            minutes = (offset[0] == '-' ? -1 : 1) * ((hours * 60) + mins);
        }
        else
        {
            return false;
        }

        // The first and last years are left to the general parser, which knows their edge cases.
        if (Math.Abs(minutes) > 14 * 60 || local.Year is < 2 or > 9998)
        {
            return false;
        }

        value = new DateTimeOffset(local, TimeSpan.FromMinutes(minutes));
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>True when the time part (after the date's T or space) ends in Z or carries a signed offset.</summary>
    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var separator = text.IndexOfAny(['T', ' ']);
        return separator >= 0 && text.AsSpan(separator + 1).IndexOfAny('+', '-') >= 0;
    }

    /// <summary>"+0300" becomes "+03:00" (the parser wants the colon); the date's own dashes sit far from the end.</summary>
    private static string NormalizeOffset(string text)
    {
        if (text.Length > 10
            && (text[^5] == '+' || text[^5] == '-')
            && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^3]) && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1]))
        {
            return string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return text;
    }

    private static string Expected(string what, JsonValue value, JsonValueKind kind)
    {
        var got = kind == JsonValueKind.String && IsTypedTime(value) ? "a timestamp" : kind.ToString().ToLowerInvariant();
        return $"expected {what}, got {got}";
    }
}
