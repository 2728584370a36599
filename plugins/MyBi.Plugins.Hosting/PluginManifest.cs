using System.Text.Json;
using System.Text.Json.Serialization;
using MyBi.Pipelines;

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

    /// <summary>
    /// Checks the manifest against <c>plugin-manifest.schema.json</c> (the one statement of its rules) and binds it.
    /// A faulty manifest is an <see cref="InvalidDataException"/> listing every problem with its line and column.
    /// </summary>
    internal static PluginManifest Read(string path)
    {
        var problems = PluginManifestValidator.Validate(path);
        if (problems.Count > 0)
        {
            throw new InvalidDataException(string.Join("; ", problems));
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), PluginManifestJsonContext.Default.PluginManifest)
                ?? throw new InvalidDataException($"{path}: empty manifest");
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // The file changed between the check and the read, or the schema admits what the model cannot hold.
            throw new InvalidDataException($"{path}: cannot be read ({ex.Message})", ex);
        }
    }
}

// Comments are allowed in a manifest, as the schema check allows them.
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(PluginManifest))]
internal sealed partial class PluginManifestJsonContext : JsonSerializerContext
{
}
