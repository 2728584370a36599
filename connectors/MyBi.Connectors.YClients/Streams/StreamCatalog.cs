using System.Text.Json;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Streams;

namespace MyBi.Connectors.YClients.Streams;

/// <summary>
/// The streams of the connector, read from the <c>streams/*.schema.json</c> files shipped next to the plugin
/// assembly. The schemas are the single source of truth for columns, keys, cursors and documentation.
/// </summary>
internal sealed class StreamCatalog
{
    private readonly Dictionary<string, StreamDefinition> _byName;

    private StreamCatalog(IReadOnlyList<StreamDefinition> definitions)
    {
        Definitions = definitions;
        _byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<StreamDefinition> Definitions { get; }

    public StreamDefinition this[string name] => _byName[name];

    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The folder holding the plugin assembly and its data files.</summary>
    public static string PluginDirectory =>
        Path.GetDirectoryName(typeof(StreamCatalog).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;

    /// <summary>Loads every stream of <see cref="StreamNames.All"/> from <c>&lt;directory&gt;/streams</c>.</summary>
    public static StreamCatalog Load(string directory)
    {
        var definitions = new List<StreamDefinition>();
        foreach (var name in StreamNames.All)
        {
            var text = PluginFiles.Read(Path.Combine(directory, "streams", name + ".schema.json"));
            definitions.Add(Parse(name, text));
        }

        return new StreamCatalog(definitions);
    }

    internal static StreamDefinition Parse(string name, string schemaText)
    {
        using var document = JsonDocument.Parse(schemaText);
        var root = document.RootElement;
        var primaryKey = root.TryGetProperty("x-primary-key", out var pk)
            ? pk.EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];
        var dateTimes = new List<string[]>();
        var columns = new List<string>();
        Walk(root.GetProperty("properties"), [], dateTimes, columns);
        var filters = root.TryGetProperty("x-filters", out var xf) && xf.TryGetProperty("properties", out var fp)
            ? fp.EnumerateObject().Select(p => p.Name).ToArray()
            : [];
        return new StreamDefinition
        {
            Descriptor = new StreamDescriptor
            {
                Name = name,
                JsonSchema = schemaText,
                PrimaryKey = primaryKey,
                CursorField = root.TryGetProperty("x-cursor-field", out var cursor) ? cursor.GetString() : null,
                Parent = root.TryGetProperty("x-parent", out var parent) ? parent.GetString() : null,
                BusinessDate = root.TryGetProperty("x-business-date", out var businessDate) ? businessDate.GetString() : null,
                Description = root.TryGetProperty("description", out var description) ? description.GetString() : null,
            },
            DateTimePaths = dateTimes,
            FilterFields = filters,
            Columns = columns,
            LocalTimes = LocalTimes(root.GetProperty("properties")),
        };
    }

    private static List<LocalTimeColumn> LocalTimes(JsonElement properties) =>
        properties.EnumerateObject()
            .Where(p => p.Value.TryGetProperty("x-local-time-of", out var source) && source.ValueKind == JsonValueKind.String)
            .Select(p => new LocalTimeColumn(
                p.Name,
                p.Value.GetProperty("x-local-time-of").GetString()!,
                p.Value.TryGetProperty("format", out var format) && format.GetString() == "date"))
            .ToList();

    /// <summary>Collects the leaf columns (flattened names) and the <c>date-time</c> property paths of a schema's properties.</summary>
    internal static void Walk(JsonElement properties, string[] prefix, List<string[]> dateTimes, List<string> columns)
    {
        foreach (var property in properties.EnumerateObject())
        {
            string[] path = [.. prefix, property.Name];
            if (property.Value.TryGetProperty("properties", out var nested) && nested.EnumerateObject().Any())
            {
                Walk(nested, path, dateTimes, columns);
                continue;
            }

            columns.Add(string.Join('_', path));
            if (property.Value.TryGetProperty("format", out var format) && format.GetString() == "date-time")
            {
                dateTimes.Add(path);
            }
        }
    }
}
