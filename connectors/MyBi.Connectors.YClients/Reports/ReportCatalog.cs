using System.Text.Json;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Connectors.YClients.Streams;

namespace MyBi.Connectors.YClients.Reports;

/// <summary>
/// The report types of the connector, read from the <c>reports/*.schema.json</c> files shipped next to the plugin
/// assembly. Each schema names its key and date fields (<c>x-key-field</c>, <c>x-date-field</c>).
/// </summary>
internal sealed class ReportCatalog
{
    private readonly Dictionary<string, ReportDefinition> _byName;

    private ReportCatalog(IReadOnlyList<ReportDefinition> definitions)
    {
        Definitions = definitions;
        _byName = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ReportDefinition> Definitions { get; }

    public ReportDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Loads every report type of <see cref="ReportNames.All"/> from <c>&lt;directory&gt;/reports</c>.</summary>
    public static ReportCatalog Load(string directory)
    {
        var definitions = new List<ReportDefinition>();
        foreach (var name in ReportNames.All)
        {
            var text = PluginFiles.Read(Path.Combine(directory, "reports", name + ".schema.json"));
            definitions.Add(Parse(name, text));
        }

        return new ReportCatalog(definitions);
    }

    internal static ReportDefinition Parse(string name, string schemaText)
    {
        using var document = JsonDocument.Parse(schemaText);
        var root = document.RootElement;
        var dateTimes = new List<string[]>();
        var columns = new List<string>();
        StreamCatalog.Walk(root.GetProperty("properties"), [], dateTimes, columns);
        var fields = Fields(root.GetProperty("properties"), "").ToList();
        var key = root.TryGetProperty("x-key-field", out var k) ? k.GetString() : null;
        var date = root.TryGetProperty("x-date-field", out var d) ? d.GetString() : null;
        if (key is null || !fields.Contains(key) || (date is not null && !fields.Contains(date)))
        {
            throw MyBiException.System($"The YCLIENTS report schema '{name}' names a key or date field it does not declare; reinstall the plugin.");
        }

        return new ReportDefinition
        {
            Descriptor = new ReportTypeDescriptor
            {
                Name = name,
                JsonSchema = schemaText,
                KeyField = key,
                DateField = date,
                Description = root.TryGetProperty("description", out var description) ? description.GetString() : null,
            },
            DateTimePaths = dateTimes,
            Fields = fields,
        };
    }

    private static IEnumerable<string> Fields(JsonElement properties, string prefix)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (property.Value.TryGetProperty("properties", out var nested) && nested.EnumerateObject().Any())
            {
                foreach (var inner in Fields(nested, path + "."))
                {
                    yield return inner;
                }

                continue;
            }

            yield return path;
        }
    }
}
