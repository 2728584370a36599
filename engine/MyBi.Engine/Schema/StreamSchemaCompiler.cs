using System.Text.Json;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;

namespace MyBi.Engine.Schema;

/// <summary>
/// Turns a stream's JSON Schema into a table: objects with properties are flattened with '_', arrays and
/// free-form objects become JSON columns, decimal/date-time/local-date-time/date formats pick exact types. A stream table ends
/// with <c>_loaded_at</c>, when the row was last received, and the JSON column <c>_extra</c>, which keeps the
/// fields a row carries beyond its schema.
/// </summary>
public static class StreamSchemaCompiler
{
    /// <summary>The column holding a row's fields that the schema does not describe (null when there are none).</summary>
    public const string ExtraColumn = "_extra";

    /// <summary>The column holding when a row was last received (the start of the run that wrote it).</summary>
    public const string LoadedAtColumn = "_loaded_at";

    /// <summary>
    /// The keyword of a table's or a column's description in Russian, beside the English <c>description</c>; the two
    /// become one text, English first, in discover and in the destination's comments.
    /// </summary>
    public const string RussianDescription = "x-description-ru";

    /// <summary>
    /// The <c>format</c> of a string column holding a wall-clock date and time without a zone (a company's local clock
    /// reading); it becomes <see cref="ColumnType.LocalDateTime"/>, where <c>date-time</c> is an instant.
    /// </summary>
    public const string LocalDateTimeFormat = "local-date-time";

    /// <summary>Compiles a stream declaration; a malformed schema is the connector's bug (System error).</summary>
    public static CompiledStream Compile(StreamDescriptor descriptor) => Compile(descriptor, keepExtra: true);

    /// <summary>Compiles a schema; <paramref name="keepExtra"/> adds the <c>_extra</c> column (report field lists go without it).</summary>
    internal static CompiledStream Compile(StreamDescriptor descriptor, bool keepExtra)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        using var document = ParseSchema(descriptor);
        var root = document.RootElement;
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            throw Broken(descriptor, "the schema has no 'properties' object");
        }

        var columns = new List<ColumnSchema>();
        var paths = new List<string[]>();
        AddProperties(descriptor, properties, prefix: [], columns, paths);
        if (keepExtra)
        {
            if (columns.Any(c => c.Name == ExtraColumn))
            {
                throw Broken(descriptor, $"'{ExtraColumn}' is reserved for the fields a row carries beyond its schema");
            }

            if (columns.Any(c => c.Name == LoadedAtColumn))
            {
                throw Broken(descriptor, $"'{LoadedAtColumn}' is reserved for when a row was received");
            }

            // Retention by loaded_at deletes by it; tables loaded before it existed hold nulls there, which no cutoff matches.
            columns.Add(new ColumnSchema(LoadedAtColumn, ColumnType.Timestamp)
            {
                Description = "When the row was last received (the start of the run that wrote it).",
            });

            columns.Add(new ColumnSchema(ExtraColumn, ColumnType.Json)
            {
                Description = "Fields the source sent beyond this table's columns, as one JSON object; null when there were none. / Поля, которые источник прислал сверх столбцов таблицы, одним объектом JSON; null, если их не было.",
            });
        }

        try
        {
            var table = new TableSchema(descriptor.Name, columns, descriptor.PrimaryKey)
            {
                Description = Bilingual(descriptor.Description ?? ReadString(root, "description"), ReadString(root, RussianDescription)),
            };
            return new CompiledStream(descriptor, table, paths, keepExtra);
        }
        catch (ArgumentException ex)
        {
            throw Broken(descriptor, ex.Message);
        }
    }

    /// <summary>Reads a property's JSON Schema keywords into a column type (used for filters and rules too).</summary>
    public static ColumnType ResolveType(JsonElement propertySchema)
    {
        var type = PrimaryType(propertySchema);
        var format = ReadString(propertySchema, "format");
        return type switch
        {
            "integer" => ColumnType.Int64,
            "number" => format == "decimal" ? ColumnType.Decimal : ColumnType.Double,
            "boolean" => ColumnType.Boolean,
            "string" => format switch
            {
                "date-time" => ColumnType.Timestamp,
                LocalDateTimeFormat => ColumnType.LocalDateTime,
                "date" => ColumnType.Date,
                _ => ColumnType.String,
            },
            _ => ColumnType.Json,
        };
    }

    private static void AddProperties(StreamDescriptor descriptor, JsonElement properties, string[] prefix, List<ColumnSchema> columns, List<string[]> paths)
    {
        foreach (var property in properties.EnumerateObject())
        {
            string[] path = [.. prefix, property.Name];
            var schema = property.Value;
            if (PrimaryType(schema) == "object"
                && schema.TryGetProperty("properties", out var nested)
                && nested.ValueKind == JsonValueKind.Object
                && nested.EnumerateObject().Any())
            {
                AddProperties(descriptor, nested, path, columns, paths);
                continue;
            }

            var type = ResolveType(schema);
            var column = new ColumnSchema(string.Join('_', path), type)
            {
                Description = Bilingual(ReadString(schema, "description"), ReadString(schema, RussianDescription)),
                Precision = ReadInt(schema, "x-precision") ?? ColumnSchema.DefaultPrecision,
                Scale = ReadInt(schema, "x-scale") ?? ColumnSchema.DefaultScale,
            };
            columns.Add(column);
            paths.Add(path);
        }
    }

    private static string? Bilingual(string? english, string? russian) =>
        string.IsNullOrWhiteSpace(russian) ? english
        : string.IsNullOrWhiteSpace(english) ? russian
        : english + " / " + russian;

    private static string? PrimaryType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in type.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && item.GetString() != "null")
                {
                    return item.GetString();
                }
            }
        }

        return null;
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static int? ReadInt(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt32()
            : null;

    private static JsonDocument ParseSchema(StreamDescriptor descriptor)
    {
        try
        {
            return JsonDocument.Parse(descriptor.JsonSchema);
        }
        catch (JsonException ex)
        {
            throw Broken(descriptor, ex.Message);
        }
    }

    private static MyBiException Broken(StreamDescriptor descriptor, string reason) =>
        new(FailureKind.System, $"The schema of stream '{descriptor.Name}' is not usable: {reason}") { Stream = descriptor.Name };
}
