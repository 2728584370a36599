using System.Globalization;
using System.Numerics;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using MyBi.Abstractions.Records;

namespace MyBi.Rules.Internal;

/// <summary>
/// Converts an emitted JavaScript value to its column's CLR type, as leniently as the engine reads API data
/// (numbers in strings, 0/1 booleans, "" for nothing, offsets without a colon) but never lossy without saying
/// so: a value that does not fit throws <see cref="FormatException"/> with a short reason.
/// </summary>
internal sealed class ColumnValueConverter
{
    private static readonly string[] s_naiveFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    private readonly JsJsonWriter _json;
    private readonly int _maxStringLength;

    public ColumnValueConverter(JsJsonWriter json, int maxStringLength)
    {
        _json = json;
        _maxStringLength = maxStringLength;
    }

    public object? Convert(JsValue value, ColumnSchema column)
    {
        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (column.Type == ColumnType.Json)
        {
            return _json.ToJsonText(value);
        }

        if (value is JsString js)
        {
            var text = js.ToString();
            if (column.Type == ColumnType.String)
            {
                return text.Length <= _maxStringLength ? text : throw new FormatException($"a text of {text.Length} characters is longer than the limit of {_maxStringLength}");
            }

            return string.IsNullOrWhiteSpace(text) ? null : FromString(text.Trim(), column);
        }

        return column.Type switch
        {
            ColumnType.String => ToText(value),
            ColumnType.Int64 => ToInt64(value),
            ColumnType.Decimal => FitDecimal(ToDecimal(value), column),
            ColumnType.Double => value is JsNumber n ? n.AsNumber() : value is JsBigInt b ? (double)TypeConverter.ToBigInt(b) : throw Expected("a number", value),
            ColumnType.Boolean => ToBoolean(value),
            ColumnType.Timestamp => value.IsDate() ? FromDate(value) : throw Expected("a date text or a Date", value),
            ColumnType.Date => value.IsDate() ? DateOnly.FromDateTime(FromDate(value).UtcDateTime) : throw Expected("a date text or a Date", value),
            _ => throw new FormatException($"unsupported column type {column.Type}"),
        };
    }

    private static string ToText(JsValue value) => value switch
    {
        JsNumber or JsBoolean or JsBigInt => TypeConverter.ToString(value),
        _ when value.IsDate() => FromDate(value).ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture),
        _ => throw Expected("a text, number or boolean (use a json column or JSON.stringify for structures)", value),
    };

    private static long ToInt64(JsValue value)
    {
        switch (value)
        {
            case JsNumber number:
                var d = number.AsNumber();
                if (!double.IsFinite(d) || Math.Truncate(d) != d)
                {
                    throw new FormatException($"{TypeConverter.ToString(number)} is not an integer");
                }

                // 2^63 is exactly representable; anything at or beyond it does not fit a long.
                if (d is < -9.2233720368547758E18 or >= 9.2233720368547758E18)
                {
                    throw new FormatException($"{TypeConverter.ToString(number)} is outside the 64-bit integer range");
                }

                return (long)d;
            case JsBigInt big:
                var b = TypeConverter.ToBigInt(big);
                return b >= long.MinValue && b <= long.MaxValue ? (long)b : throw new FormatException($"{b} is outside the 64-bit integer range");
            default:
                throw Expected("an integer", value);
        }
    }

    private static decimal ToDecimal(JsValue value)
    {
        switch (value)
        {
            case JsNumber number:
                var d = number.AsNumber();
                if (!double.IsFinite(d))
                {
                    throw new FormatException($"{TypeConverter.ToString(number)} is not a finite number");
                }

                // The shortest text that reads back as the same double: 0.1 stays 0.1, not 0.1000000000000000055.
                return decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
                    ? m
                    : throw new FormatException($"{TypeConverter.ToString(number)} is outside the decimal range");
            case JsBigInt big:
                var b = TypeConverter.ToBigInt(big);
                return b >= new BigInteger(decimal.MinValue) && b <= new BigInteger(decimal.MaxValue) ? (decimal)b : throw new FormatException($"{b} is outside the decimal range");
            default:
                throw Expected("a number", value);
        }
    }

    private static decimal FitDecimal(decimal value, ColumnSchema column)
    {
        var rounded = Math.Round(value, Math.Min(column.Scale, 28), MidpointRounding.AwayFromZero);
        var integerDigits = column.Precision - column.Scale;
        if (integerDigits < 29 && Math.Abs(decimal.Truncate(rounded)) >= Pow10(integerDigits))
        {
            throw new FormatException($"{value.ToString(CultureInfo.InvariantCulture)} does not fit decimal({column.Precision},{column.Scale})");
        }

        return rounded;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10m;
        }

        return result;
    }

    private static bool ToBoolean(JsValue value) => value switch
    {
        JsBoolean flag => flag.AsBoolean(),
        JsNumber number when number.AsNumber() == 0 => false,
        JsNumber number when number.AsNumber() == 1 => true,
        JsNumber number => throw new FormatException($"{TypeConverter.ToString(number)} is not a boolean (only 0 and 1 are)"),
        _ => throw Expected("a boolean", value),
    };

    private static DateTimeOffset FromDate(JsValue value)
    {
        try
        {
            return new DateTimeOffset(DateTime.SpecifyKind(value.AsDate().ToDateTime(), DateTimeKind.Utc));
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or JavaScriptException or InvalidOperationException)
        {
            throw new FormatException("an invalid Date");
        }
    }

    private object FromString(string text, ColumnSchema column)
    {
        switch (column.Type)
        {
            case ColumnType.Int64:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d
                    && d >= long.MinValue && d <= long.MaxValue)
                {
                    return (long)d;
                }

                throw new FormatException($"'{Shorten(text)}' is not an integer");
            case ColumnType.Decimal:
                return FitDecimal(ParseDecimal(text), column);
            case ColumnType.Double:
                return double.TryParse(Clean(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var dbl) && double.IsFinite(dbl)
                    ? dbl
                    : throw new FormatException($"'{Shorten(text)}' is not a number");
            case ColumnType.Boolean:
                return text.ToUpperInvariant() switch
                {
                    "1" or "TRUE" or "Y" or "YES" => true,
                    "0" or "FALSE" or "N" or "NO" => false,
                    _ => throw new FormatException($"'{Shorten(text)}' is not a boolean"),
                };
            case ColumnType.Timestamp:
                return ParseTimestamp(text);
            case ColumnType.Date:
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                // A date and time keeps its calendar day as written, in its own offset.
                return DateOnly.FromDateTime(ParseTimestamp(text).DateTime);
            default:
                throw new FormatException($"unsupported column type {column.Type}");
        }
    }

    private static decimal ParseDecimal(string text) =>
        decimal.TryParse(Clean(text), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{Shorten(text)}' is not a number");

    // Money arrives formatted as "3 221,72" from some endpoints (space thousands, decimal comma).
    private static string Clean(string text)
    {
        var cleaned = text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("\u00A0", string.Empty, StringComparison.Ordinal)
            .Replace("\u202F", string.Empty, StringComparison.Ordinal);
        return cleaned.Contains(',', StringComparison.Ordinal) && !cleaned.Contains('.', StringComparison.Ordinal) ? cleaned.Replace(',', '.') : cleaned;
    }

    private static DateTimeOffset ParseTimestamp(string text)
    {
        var normalized = InsertOffsetColon(text);
        if (HasOffset(normalized)
            && DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
        {
            return withOffset;
        }

        if (DateTime.TryParseExact(normalized, s_naiveFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var naive))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(naive, DateTimeKind.Utc));
        }

        throw new FormatException($"'{Shorten(text)}' is not a date and time");
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length >= 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

    private static string InsertOffsetColon(string text)
    {
        // "2020-10-29T13:34:26+0300" => "+03:00"; the date's own dashes sit far from the end.
        if (text.Length >= 15
            && (text[^5] == '+' || text[^5] == '-')
            && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^3]) && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1])
            && text[^8] == ':')
        {
            return string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return text;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "...");

    private static FormatException Expected(string what, JsValue value)
    {
        var got = value switch
        {
            JsString => "a text",
            JsNumber => "a number",
            JsBoolean => "a boolean",
            JsBigInt => "a BigInt",
            _ when value.IsArray() => "a list",
            _ when value.IsDate() => "a Date",
            ObjectInstance o when o.IsCallable() => "a function",
            ObjectInstance => "an object",
            _ => value.Type.ToString().ToLowerInvariant(),
        };
        return new FormatException($"expected {what}, got {got}");
    }
}
