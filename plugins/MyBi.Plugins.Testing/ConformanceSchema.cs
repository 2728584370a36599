using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using Xunit;

namespace MyBi.Plugins.Testing;

/// <summary>
/// Reads stream schemas the way the engine turns them into tables (objects with properties flattened with '_',
/// everything else one column) and checks rows against them with the engine's leniency: numbers and booleans may
/// come as text, booleans as 0/1, an empty object as <c>[]</c>, timestamps as text or as values.
/// </summary>
internal static class ConformanceSchema
{
    internal sealed record Column(string Name, string[] Path, string? Type, string? Format);

    public static JsonObject ParseObject(string text, string what)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"{what} is not JSON: {ex.Message}");
        }

        return node as JsonObject ?? throw new Xunit.Sdk.XunitException($"{what} is not a JSON object.");
    }

    /// <summary>The stream's columns by flattened name.</summary>
    public static IReadOnlyDictionary<string, Column> Compile(StreamDescriptor stream)
    {
        var schema = ParseObject(stream.JsonSchema, $"The schema of stream '{stream.Name}'");
        if (schema["properties"] is not JsonObject properties)
        {
            throw new Xunit.Sdk.XunitException($"The schema of stream '{stream.Name}' has no 'properties' object.");
        }

        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        Add(stream, properties, [], columns);
        return columns;
    }

    /// <summary>Checks one row: declared columns have values of their type, key columns are present.</summary>
    public static void AssertMatches(StreamDescriptor stream, IReadOnlyDictionary<string, Column> columns, JsonObject row)
    {
        foreach (var column in columns.Values)
        {
            var value = Walk(stream, column, row);
            if (value is null)
            {
                continue;
            }

            Assert.True(
                Fits(value, column),
                $"Stream '{stream.Name}': column '{column.Name}' ({column.Type}{(column.Format is null ? "" : "/" + column.Format)}) got {Shorten(value.ToJsonString())}.");
        }

        foreach (var key in stream.PrimaryKey)
        {
            Assert.True(
                columns.TryGetValue(key, out var column) && Walk(stream, column, row) is not null,
                $"Stream '{stream.Name}': a row has no value for its key column '{key}': {Shorten(row.ToJsonString())}.");
        }
    }

    /// <summary>The value of a flattened column name in a row, or null.</summary>
    public static JsonNode? Find(JsonObject row, string name)
    {
        foreach (var (property, value) in row)
        {
            if (property == name)
            {
                return value;
            }

            if (value is JsonObject nested && name.StartsWith(property + "_", StringComparison.Ordinal)
                && Find(nested, name[(property.Length + 1)..]) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Orders two cursor values: as numbers when both are numbers, as instants when both are timestamps, else as text.</summary>
    public static int CompareCursors(JsonNode left, JsonNode right)
    {
        if (Number(left) is { } a && Number(right) is { } b)
        {
            return a.CompareTo(b);
        }

        if (Instant(left) is { } x && Instant(right) is { } y)
        {
            return x.CompareTo(y);
        }

        return string.CompareOrdinal(Text(left), Text(right));
    }

    private static void Add(StreamDescriptor stream, JsonObject properties, string[] prefix, Dictionary<string, Column> columns)
    {
        foreach (var (name, node) in properties)
        {
            string[] path = [.. prefix, name];
            if (node is not JsonObject property)
            {
                throw new Xunit.Sdk.XunitException($"Stream '{stream.Name}': the schema of property '{string.Join('.', path)}' is not an object.");
            }

            var type = PrimaryType(property);
            if (type == "object" && property["properties"] is JsonObject nested && nested.Count > 0)
            {
                Add(stream, nested, path, columns);
                continue;
            }

            var column = new Column(string.Join('_', path), path, type, property["format"]?.GetValueKind() == JsonValueKind.String ? property["format"]!.GetValue<string>() : null);
            Assert.True(columns.TryAdd(column.Name, column), $"Stream '{stream.Name}': two properties flatten to the column '{column.Name}'.");
        }
    }

    private static string? PrimaryType(JsonObject schema) => schema["type"] switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray types => types.OfType<JsonValue>().Where(t => t.GetValueKind() == JsonValueKind.String).Select(t => t.GetValue<string>()).FirstOrDefault(t => t != "null"),
        _ => schema["properties"] is not null ? "object" : null,
    };

    private static JsonNode? Walk(StreamDescriptor stream, Column column, JsonObject row)
    {
        JsonNode? node = row;
        for (var i = 0; i < column.Path.Length; i++)
        {
            switch (node)
            {
                case JsonObject current:
                    node = current[column.Path[i]];
                    break;
                case JsonArray { Count: 0 }:
                    return null; // An empty object sent as [].
                case null:
                    return null;
                default:
                    throw new Xunit.Sdk.XunitException(
                        $"Stream '{stream.Name}': '{string.Join('.', column.Path[..i])}' should be an object, got {Shorten(node.ToJsonString())}.");
            }
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Null ? null : node;
    }

    private static bool Fits(JsonNode value, Column column)
    {
        if (value is JsonValue { } scalar && scalar.TryGetValue<string>(out var empty) && empty.Length == 0
            && (column.Type is "integer" or "number" or "boolean" || column.Format is "date-time" or "local-date-time" or "date"))
        {
            return true; // Empty text is an absent value for the engine.
        }

        return column.Type switch
        {
            "integer" => Number(value) is { } number && number == decimal.Truncate(number),
            "number" => Number(value) is not null,
            "boolean" => Boolean(value),
            "string" => value is JsonValue && column.Format switch
            {
                "date-time" => Instant(value) is not null,
                "local-date-time" => LenientValue.TryParse(value, ColumnType.LocalDateTime, out var wall) && wall is not null,
                "date" => Instant(value) is not null || DateOnly.TryParse(Text(value), CultureInfo.InvariantCulture, out _),
                _ => true,
            },
            "array" => value is JsonArray,
            _ => true,
        };
    }

    private static decimal? Number(JsonNode value)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        return scalar.GetValueKind() switch
        {
            JsonValueKind.Number => scalar.TryGetValue<decimal>(out var d) ? d
                : decimal.TryParse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null,
            JsonValueKind.String => scalar.TryGetValue<string>(out var text)
                && decimal.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsedText) ? parsedText : null,
            _ => null,
        };
    }

    private static bool Boolean(JsonNode value) =>
        value is JsonValue scalar && scalar.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => true,
            JsonValueKind.Number => Number(value) is 0m or 1m,
            JsonValueKind.String => scalar.TryGetValue<string>(out var text) && text.Trim().ToLowerInvariant() is "0" or "1" or "true" or "false",
            _ => false,
        };

    private static DateTimeOffset? Instant(JsonNode value)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        if (scalar.TryGetValue<DateTimeOffset>(out var instant))
        {
            return instant;
        }

        if (scalar.TryGetValue<DateTime>(out var time))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        }

        // Timestamps may come as values (DateTimeOffset, handled above) or as text.
        if (!scalar.TryGetValue<string>(out var raw))
        {
            return null;
        }

        var text = raw.Trim();

        // Offsets without a colon (+0300) are common in APIs; the engine accepts them.
        if (text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && text[^4..].All(char.IsAsciiDigit))
        {
            text = text[..^2] + ":" + text[^2..];
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    private static string Text(JsonNode value) =>
        value is JsonValue scalar && scalar.TryGetValue<string>(out var text) ? text : value.ToJsonString();

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
