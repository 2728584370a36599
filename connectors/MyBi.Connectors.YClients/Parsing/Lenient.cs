using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;

namespace MyBi.Connectors.YClients.Parsing;

/// <summary>
/// Reads values the way YCLIENTS actually sends them, through the contract's <see cref="LenientValue"/>: ids and
/// money as numbers or strings, booleans as true/false/0/1, an empty object serialised as <c>[]</c>, offsets with or
/// without a colon. What is added here is YCLIENTS' own: ids are positive, lists may come keyed by index.
/// </summary>
internal static class Lenient
{
    /// <summary>An integer given as a number or a numeric string; null for null, "", [], out-of-range values or anything else.</summary>
    public static long? Long(JsonNode? node) => LenientValue.TryParseInt64(node, out var value) ? value : null;

    /// <summary>An id: a positive integer; 0, missing or unparsable ids give null.</summary>
    public static long? Id(JsonNode? node) => Long(node) is > 0 and var id ? id : null;

    /// <summary>A decimal given as a number or a string ("1000.00").</summary>
    public static decimal? Decimal(JsonNode? node) => LenientValue.TryParseDecimal(node, out var value) ? value : null;

    /// <summary>A boolean given as true/false, 0/1 or their strings; null when absent or unreadable.</summary>
    public static bool? Bool(JsonNode? node) => LenientValue.TryParseBoolean(node, out var value) ? value : null;

    /// <summary>A text value; numbers are given in their JSON form.</summary>
    public static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.TryGetValue<string>(out var text) ? text : null,
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
    public static bool TryTimestamp(string? text, out DateTimeOffset value) => LenientValue.TryParseTimestampWithOffset(text, out value);

    /// <summary>A local wall-clock time without an offset ("2024-03-01 15:00:00").</summary>
    public static bool TryNaive(string? text, out DateTime value) => LenientValue.TryParseLocalDateTime(text, out value);

    /// <summary>A timestamp with an offset, as a value or a text (see <see cref="TryTimestamp"/>), or null.</summary>
    public static DateTimeOffset? Timestamp(JsonNode? node) => LenientValue.TryParseTimestampWithOffset(node, out var value) ? value : null;

    /// <summary>The ISO text of a timestamp with its offset (2024-03-01T15:00:00+03:00), as the sync state keeps it.</summary>
    public static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
