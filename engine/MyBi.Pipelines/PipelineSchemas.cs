using MyBi.Pipelines.Internal.Validation;
using NJsonSchema;

namespace MyBi.Pipelines;

/// <summary>The JSON Schemas shipped with the engine (embedded copies of <c>schemas/*.schema.json</c>).</summary>
public static class PipelineSchemas
{
    private static readonly Lazy<string> s_pipeline = new(() => Read("MyBi.Pipelines.Schemas.pipeline.schema.json"));
    private static readonly Lazy<string> s_pluginManifest = new(() => Read("MyBi.Pipelines.Schemas.plugin-manifest.schema.json"));

    /// <summary>The schema of pipeline files (<c>pipeline.schema.json</c>).</summary>
    public static string Pipeline => s_pipeline.Value;

    /// <summary>The schema of connector plugin manifests (<c>plugin-manifest.schema.json</c>).</summary>
    public static string PluginManifest => s_pluginManifest.Value;

    internal static JsonSchema PipelineSchema => SchemaCache.GetRequired(Pipeline);

    internal static JsonSchema PluginManifestSchema => SchemaCache.GetRequired(PluginManifest);

    private static string Read(string resource)
    {
        using var stream = typeof(PipelineSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded schema {resource} is missing from {typeof(PipelineSchemas).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
