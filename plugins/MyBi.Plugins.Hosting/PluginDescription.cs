using System.Text.Json;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Reports;
using MyBi.Abstractions.Streams;

namespace MyBi.Plugins.Hosting;

/// <summary>
/// What a connector accepts and offers (config schema, streams, report types), either asked of the loaded
/// connector or read from the schema files its manifest declares; reading the files runs none of its code.
/// </summary>
public sealed class PluginDescription
{
    private PluginDescription(string id, string? configSchema, IReadOnlyList<StreamDescriptor> streams, IReadOnlyList<ReportTypeDescriptor> reportTypes)
    {
        Id = id;
        ConfigSchema = configSchema;
        Streams = streams;
        ReportTypes = reportTypes;
    }

    /// <summary>The connector id.</summary>
    public string Id { get; }

    /// <summary>The JSON Schema of <c>source.config</c>; null when the plugin declares none.</summary>
    public string? ConfigSchema { get; }

    /// <summary>The streams offered.</summary>
    public IReadOnlyList<StreamDescriptor> Streams { get; }

    /// <summary>The report types offered.</summary>
    public IReadOnlyList<ReportTypeDescriptor> ReportTypes { get; }

    /// <summary>Describes a loaded connector.</summary>
    public static PluginDescription Of(SourceConnector connector)
    {
        ArgumentNullException.ThrowIfNull(connector);
        return new PluginDescription(connector.Name, connector.ConfigSchema, connector.Streams, connector.ReportTypes);
    }

    /// <summary>Reads the schema files <paramref name="info"/>'s manifest declares; null when it declares none.</summary>
    internal static PluginDescription? Read(PluginInfo info)
    {
        if (info.Manifest.Schemas is not { } files)
        {
            return null;
        }

        var id = info.Manifest.Id;
        string? config = null;
        if (files.Config is { } configFile)
        {
            config = ReadText(info, configFile);
            Parse(info, configFile, config).Dispose();
        }

        var streams = files.Streams is { } streamFolder
            ? SchemaFiles(info, streamFolder).Select(f => Stream(info, f)).ToList()
            : [];
        var reports = files.Reports is { } reportFolder
            ? SchemaFiles(info, reportFolder).Select(f => Report(info, f)).ToList()
            : [];
        return new PluginDescription(id, config, streams, reports);
    }

    private static StreamDescriptor Stream(PluginInfo info, (string Name, string Relative) file)
    {
        var text = ReadText(info, file.Relative);
        using var document = Parse(info, file.Relative, text);
        var root = document.RootElement;
        return new StreamDescriptor
        {
            Name = file.Name,
            JsonSchema = text,
            PrimaryKey = root.TryGetProperty("x-primary-key", out var key) && key.ValueKind == JsonValueKind.Array
                ? key.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray()
                : [],
            CursorField = StringOf(root, "x-cursor-field"),
            Parent = StringOf(root, "x-parent"),
            BusinessDate = StringOf(root, "x-business-date"),
            Description = StringOf(root, "description"),
        };
    }

    private static ReportTypeDescriptor Report(PluginInfo info, (string Name, string Relative) file)
    {
        var text = ReadText(info, file.Relative);
        using var document = Parse(info, file.Relative, text);
        var root = document.RootElement;
        return new ReportTypeDescriptor
        {
            Name = file.Name,
            JsonSchema = text,
            KeyField = StringOf(root, "x-key-field")
                ?? throw MyBiException.Config($"Plugin '{info.Manifest.Id}': report schema '{file.Relative}' names no x-key-field."),
            DateField = StringOf(root, "x-date-field"),
            Description = StringOf(root, "description"),
        };
    }

    private static string? StringOf(JsonElement root, string property) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The <c>*.schema.json</c> files of a declared folder, by name, as (name, path relative to the plugin folder).</summary>
    private static IEnumerable<(string Name, string Relative)> SchemaFiles(PluginInfo info, string folder)
    {
        const string suffix = ".schema.json";
        var full = Resolve(info, folder);
        if (!Directory.Exists(full))
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': schema folder '{folder}' named in plugin.json does not exist; reinstall the plugin.");
        }

        return Directory.EnumerateFiles(full, "*" + suffix)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .Select(name => (name[..^suffix.Length], Path.Combine(folder, name)))
            .ToList();
    }

    private static string ReadText(PluginInfo info, string relative)
    {
        try
        {
            return File.ReadAllText(Resolve(info, relative));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': cannot read schema file '{relative}' named in plugin.json ({ex.Message}); reinstall the plugin.");
        }
    }

    private static JsonDocument Parse(PluginInfo info, string relative, string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': schema file '{relative}' is not valid JSON ({ex.Message}).");
        }
    }

    /// <summary>A path inside the plugin folder; one reaching outside it is refused.</summary>
    private static string Resolve(PluginInfo info, string relative)
    {
        var root = Path.GetFullPath(info.Directory);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !(full + Path.DirectorySeparatorChar).StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw MyBiException.Config($"Plugin '{info.Manifest.Id}': schema path '{relative}' in plugin.json must stay inside the plugin folder.");
        }

        return full;
    }
}
