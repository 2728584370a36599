using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Normalization;

/// <summary>
/// Converts a JSON value to a column's CLR type, tolerating what real APIs send: numbers as strings,
/// booleans as 0/1, "" for nothing, offsets without a colon, formatted money with spaces and a decimal comma.
/// </summary>
public static class LenientValueConverter
{
    // JSON columns keep text readable (Cyrillic stays Cyrillic); the output goes to a database, never into HTML.
    private static readonly JsonSerializerOptions s_jsonText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] s_naiveFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    /// <summary>Converts; throws <see cref="FormatException"/> with a short reason when the value cannot fit.</summary>
    public static object? Convert(JsonNode? node, ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (node is null)
        {
            return null;
        }

        if (column.Type == ColumnType.Json)
        {
            return node.ToJsonString(s_jsonText);
        }

        if (node is JsonArray array)
        {
            // PHP serialises an empty object as []; any other array in a scalar column is a shape error.
            return array.Count == 0 ? null : throw new FormatException("expected a single value, got a list");
        }

        if (node is JsonObject obj)
        {
            return column.Type == ColumnType.String ? obj.ToJsonString(s_jsonText) : throw new FormatException("expected a single value, got an object");
        }

        var value = node.AsValue();
        var kind = value.GetValueKind();
        if (kind == JsonValueKind.Null)
        {
            return null;
        }

        if (kind == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (column.Type == ColumnType.String)
            {
                return text;
            }

            return string.IsNullOrWhiteSpace(text) ? null : FromString(text.Trim(), column.Type);
        }

        return column.Type switch
        {
            ColumnType.String => kind is JsonValueKind.True or JsonValueKind.False ? (kind == JsonValueKind.True ? "true" : "false") : value.ToJsonString(),
            ColumnType.Int64 => ToInt64(value, kind),
            ColumnType.Decimal => kind == JsonValueKind.Number ? ToDecimal(value) : throw Expected("a number", kind),
            ColumnType.Double => kind == JsonValueKind.Number ? value.GetValue<double>() : throw Expected("a number", kind),
            ColumnType.Boolean => ToBoolean(value, kind),
            ColumnType.Timestamp or ColumnType.Date => throw Expected("a date text", kind),
            _ => throw new FormatException($"unsupported column type {column.Type}"),
        };
    }

    /// <summary>Parses a timestamp given with or without a colon in its offset; naive times are read as UTC.</summary>
    public static DateTimeOffset ParseTimestamp(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = InsertOffsetColon(text.Trim());
        if (HasOffset(normalized)
            && DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var withOffset))
        {
            return withOffset;
        }

        if (DateTime.TryParseExact(normalized, s_naiveFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var naive))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(naive, DateTimeKind.Utc));
        }

        throw new FormatException("not a date and time");
    }

    private static object FromString(string text, ColumnType type)
    {
        switch (type)
        {
            case ColumnType.Int64:
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
                {
                    return l;
                }

                // "12.00" for an id-like integer still carries an integral value.
                if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d)
                {
                    return ToLong(d);
                }

                throw new FormatException("not an integer");
            case ColumnType.Decimal:
                return ParseDecimal(text);
            case ColumnType.Double:
                return (double)ParseDecimal(text);
            case ColumnType.Boolean:
                return text.ToUpperInvariant() switch
                {
                    "1" or "TRUE" or "Y" or "YES" => true,
                    "0" or "FALSE" or "N" or "NO" => false,
                    _ => throw new FormatException("not a boolean"),
                };
            case ColumnType.Timestamp:
                return ParseTimestamp(text);
            case ColumnType.Date:
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                // A date-time given for a date column keeps the calendar day as written, in its own offset.
                var normalized = InsertOffsetColon(text);
                if (DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
                {
                    return DateOnly.FromDateTime(dto.DateTime);
                }

                throw new FormatException("not a date");
            default:
                throw new FormatException($"unsupported column type {type}");
        }
    }

    private static decimal ParseDecimal(string text)
    {
        // Analytics endpoints format money as "3 221,72" (space thousands, decimal comma).
        var cleaned = text.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Replace("\u00A0", string.Empty, StringComparison.Ordinal)
            .Replace("\u202F", string.Empty, StringComparison.Ordinal);
        if (cleaned.Contains(',', StringComparison.Ordinal) && !cleaned.Contains('.', StringComparison.Ordinal))
        {
            cleaned = cleaned.Replace(',', '.');
        }

        if (decimal.TryParse(cleaned, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new FormatException("not a number");
    }

    private static long ToInt64(JsonValue value, JsonValueKind kind)
    {
        switch (kind)
        {
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    return l;
                }

                var d = ToDecimal(value);
                return decimal.Truncate(d) == d ? ToLong(d) : throw new FormatException("not an integer");
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            default:
                throw Expected("an integer", kind);
        }
    }

    private static decimal ToDecimal(JsonValue value)
    {
        if (value.TryGetValue<decimal>(out var d))
        {
            return d;
        }

        // Exponent forms (1e-7) come through the raw text; beyond decimal's range (1e30) is no usable number.
        return decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException("a number out of range");
    }

    private static long ToLong(decimal value) =>
        value is >= long.MinValue and <= long.MaxValue ? (long)value : throw new FormatException("an integer out of the 64-bit range");

    private static bool ToBoolean(JsonValue value, JsonValueKind kind) => kind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => ToDecimal(value) switch
        {
            0m => false,
            1m => true,
            _ => throw new FormatException("not a boolean (only 0 and 1 are)"),
        },
        _ => throw Expected("a boolean", kind),
    };

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        return text.Length >= 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':';
    }

    private static string InsertOffsetColon(string text)
    {
        // "2020-10-29T13:34:26+0300" => "+03:00"; the date part's own dashes sit far from the end.
        if (text.Length >= 15
            && (text[^5] == '+' || text[^5] == '-')
            && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^3]) && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1])
            && text[^8] == ':')
        {
            return string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
        }

        return text;
    }

    private static FormatException Expected(string what, JsonValueKind kind) =>
        new($"expected {what}, got {kind.ToString().ToLowerInvariant()}");
}
