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

            // A Date is an instant; like a date column, a wall-clock column takes its UTC reading (the rules run in UTC).
            ColumnType.LocalDateTime => value.IsDate() ? DateTime.SpecifyKind(FromDate(value).UtcDateTime, DateTimeKind.Unspecified) : throw Expected("a date text or a Date", value),
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
            case JsBoolean flag:
                // As the engine reads a JSON true or false for an integer column (LenientValue).
                return flag.AsBoolean() ? 1 : 0;
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
                // Written to the stack, not to a string: every emitted amount goes through here.
                Span<char> text = stackalloc char[32];
                return d.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture)
                    && decimal.TryParse(text[..written], NumberStyles.Float, CultureInfo.InvariantCulture, out var m)
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
        return column.Holds(rounded)
            ? rounded
            : throw new FormatException($"{value.ToString(CultureInfo.InvariantCulture)} does not fit decimal({column.Precision},{column.Scale})");
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

    private static object FromString(string text, ColumnSchema column) => column.Type switch
    {
        ColumnType.Int64 => LenientValue.TryParseInt64(text, out var l) ? (object)l : throw new FormatException($"'{Shorten(text)}' is not an integer"),
        ColumnType.Decimal => LenientValue.TryParseDecimal(text, out var m) ? (object)FitDecimal(m, column) : throw new FormatException($"'{Shorten(text)}' is not a number"),
        ColumnType.Double => LenientValue.TryParseDouble(text, out var d) ? (object)d : throw new FormatException($"'{Shorten(text)}' is not a number"),
        ColumnType.Boolean => LenientValue.TryParseBoolean(text, out var b) ? (object)b : throw new FormatException($"'{Shorten(text)}' is not a boolean"),
        ColumnType.Timestamp => LenientValue.TryParseTimestamp(text, out var t) ? (object)t : throw new FormatException($"'{Shorten(text)}' is not a date and time"),
        ColumnType.Date => LenientValue.TryParseDate(text, out var day) ? (object)day : throw new FormatException($"'{Shorten(text)}' is not a date"),
        ColumnType.LocalDateTime => LenientValue.TryParse(System.Text.Json.Nodes.JsonValue.Create(text), ColumnType.LocalDateTime, out var wall) && wall is not null
            ? wall
            : throw new FormatException($"'{Shorten(text)}' is not a date and time"),
        _ => throw new FormatException($"unsupported column type {column.Type}"),
    };

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
