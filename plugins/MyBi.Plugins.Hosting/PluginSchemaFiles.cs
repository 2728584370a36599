using System.Text.Json.Serialization;

namespace MyBi.Plugins.Hosting;

/// <summary>The <c>schemas</c> block of a <c>plugin.json</c>: paths relative to the plugin folder.</summary>
public sealed class PluginSchemaFiles
{
    /// <summary>The JSON Schema of <c>source.config</c> (the connector's ConfigSchema).</summary>
    [JsonPropertyName("config")]
    public string? Config { get; init; }

    /// <summary>A folder with one <c>&lt;stream&gt;.schema.json</c> per stream.</summary>
    [JsonPropertyName("streams")]
    public string? Streams { get; init; }

    /// <summary>A folder with one <c>&lt;report type&gt;.schema.json</c> per report type (each names its <c>x-key-field</c>).</summary>
    [JsonPropertyName("reports")]
    public string? Reports { get; init; }
}
