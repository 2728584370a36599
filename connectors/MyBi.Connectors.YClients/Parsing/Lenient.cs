using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MyBi.Connectors.YClients.Parsing;

/// <summary>
/// Reads values the way YCLIENTS actually sends them: ids and money as numbers or strings, booleans as
/// true/false/0/1, an empty object serialised as <c>[]</c>, offsets with or without a colon.
/// </summary>
internal static class Lenient
{
    private static readonly string[] s_naiveFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    ];

    /// <summary>An integer given as a number or a numeric string; null for null, "", [], out-of-range values or anything else.</summary>
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.Number:
                if (value.TryGetValue<long>(out var l))
                {
                    return l;
                }

                return Number(value) is { } d && decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue ? (long)d : null;
            case JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var dec) && decimal.Truncate(dec) == dec
                    && dec is >= long.MinValue and <= long.MaxValue
                    ? (long)dec
                    : null;
            default:
                return null;
        }
    }

    /// <summary>An id: a positive integer; 0, missing or unparsable ids give null.</summary>
    public static long? Id(JsonNode? node) => Long(node) is > 0 and var id ? id : null;

    /// <summary>A decimal given as a number or a string ("1000.00").</summary>
    public static decimal? Decimal(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.Number => Number(value),
            JsonValueKind.String => decimal.TryParse(value.GetValue<string>().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : null,
            _ => null,
        };
    }

    /// <summary>A boolean given as true/false, 0/1 or their strings; null when absent or unreadable.</summary>
    public static bool? Bool(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                return Number(value) is { } d ? d != 0 : null;
            case JsonValueKind.String:
                return value.GetValue<string>().Trim().ToUpperInvariant() switch
                {
                    "1" or "TRUE" => true,
                    "0" or "FALSE" or "" => false,
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>A text value; numbers are given in their JSON form.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    /// <summary>An object, treating PHP's <c>[]</c> (an empty object) and null as absent.</summary>
    public static JsonObject? Object(JsonNode? node) => node as JsonObject;

    /// <summary>The objects of a list; tolerates null, <c>[]</c> and PHP's keyed form <c>{"0": {...}}</c>.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node) => node switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject keyed => keyed.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>
    /// A timestamp that carries its offset (<c>+03:00</c> or <c>+0300</c>, or <c>Z</c>); naive texts give false so
    /// that the caller places them in the company's zone.
    /// </summary>
    public static bool TryTimestamp(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var normalized = InsertOffsetColon(text.Trim());
        return HasOffset(normalized)
            && DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>A local wall-clock time without an offset ("2024-03-01 15:00:00").</summary>
    public static bool TryNaive(string? text, out DateTime value)
    {
        value = default;
        return !string.IsNullOrWhiteSpace(text)
            && DateTime.TryParseExact(text.Trim(), s_naiveFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>A timestamp node with an offset (see <see cref="TryTimestamp"/>), or null.</summary>
    public static DateTimeOffset? Timestamp(JsonNode? node) => TryTimestamp(Text(node), out var value) ? value : null;

    /// <summary>The ISO text of a timestamp with its offset (2024-03-01T15:00:00+03:00).</summary>
    public static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// A JSON number as a decimal, whether it was parsed from text or built in code from an int, long or double
    /// (<see cref="JsonValue.TryGetValue{T}"/> only converts between identical CLR types for the latter).
    /// </summary>
    private static decimal? Number(JsonValue value) =>
        value.TryGetValue<decimal>(out var d) ? d
        : decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var t = text.IndexOf('T', StringComparison.Ordinal);
        if (t < 0)
        {
            t = text.IndexOf(' ', StringComparison.Ordinal);
        }

        if (t < 0)
        {
            return false;
        }

        var time = text[(t + 1)..];
        return time.Contains('+', StringComparison.Ordinal) || time.Contains('-', StringComparison.Ordinal);
    }

    private static string InsertOffsetColon(string text)
    {
        // "+0300" -> "+03:00"; DateTimeOffset.TryParse wants the colon.
        if (text.Length >= 5)
        {
            var sign = text[^5];
            if ((sign == '+' || sign == '-') && char.IsAsciiDigit(text[^4]) && char.IsAsciiDigit(text[^3])
                && char.IsAsciiDigit(text[^2]) && char.IsAsciiDigit(text[^1]) && text.Length > 10)
            {
                return string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));
            }
        }

        return text;
    }
}
