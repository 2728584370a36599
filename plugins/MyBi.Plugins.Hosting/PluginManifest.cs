using System.Text.Json;
using System.Text.Json.Serialization;

namespace MyBi.Plugins.Hosting;

/// <summary>The <c>plugin.json</c> of a plugin folder (schemas/plugin-manifest.schema.json).</summary>
public sealed class PluginManifest
{
    /// <summary>The connector id used in pipeline files.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The plugin's own version.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    /// <summary>The assembly file, relative to the plugin folder.</summary>
    [JsonPropertyName("assembly")]
    public string Assembly { get; init; } = "";

    /// <summary>The full name of the type deriving from SourceConnector.</summary>
    [JsonPropertyName("entryType")]
    public string EntryType { get; init; } = "";

    /// <summary>The contract version the plugin was built against (major.minor).</summary>
    [JsonPropertyName("abstractionsVersion")]
    public string AbstractionsVersion { get; init; } = "";

    /// <summary>One line about the plugin.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>
    /// Where the plugin ships its JSON Schemas as files, so that <c>validate</c> and <c>plugins</c> can read them
    /// without running any of the plugin's code.
    /// </summary>
    [JsonPropertyName("schemas")]
    public PluginSchemaFiles? Schemas { get; init; }

    internal static PluginManifest Read(string path)
    {
        PluginManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({ex.Message})", ex);
        }

        if (manifest is null)
        {
            throw new InvalidDataException($"{path}: empty manifest");
        }

        var missing = new[] { ("id", manifest.Id), ("version", manifest.Version), ("assembly", manifest.Assembly), ("entryType", manifest.EntryType), ("abstractionsVersion", manifest.AbstractionsVersion) }
            .Where(f => string.IsNullOrWhiteSpace(f.Item2))
            .Select(f => f.Item1)
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{path}: missing {string.Join(", ", missing)}");
        }

        return manifest;
    }
}
