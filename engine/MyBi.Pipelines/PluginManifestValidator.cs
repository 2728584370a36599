using MyBi.Pipelines.Internal;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines;

/// <summary>Checks a connector's <c>plugin.json</c> against <c>plugin-manifest.schema.json</c>, reporting every problem with its position.</summary>
public static class PluginManifestValidator
{
    private const string FileLevelPath = "(file)";

    /// <summary>Reads and checks the manifest at <paramref name="manifestPath"/>. Never throws for a faulty file.</summary>
    public static IReadOnlyList<PipelineDiagnostic> Validate(string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifestPath);
        string text;
        try
        {
            text = File.ReadAllText(manifestPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return [new PipelineDiagnostic(manifestPath, 0, 0, FileLevelPath, ex is FileNotFoundException or DirectoryNotFoundException ? "manifest not found" : "cannot read the file: " + ex.Message)];
        }

        return ValidateText(text, manifestPath);
    }

    /// <summary>Checks manifest JSON given as text; <paramref name="displayPath"/> is the name errors quote.</summary>
    public static IReadOnlyList<PipelineDiagnostic> ValidateText(string jsonText, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(jsonText);
        ArgumentNullException.ThrowIfNull(displayPath);
        JToken root;
        try
        {
            root = JToken.Parse(jsonText, new JsonLoadSettings
            {
                LineInfoHandling = LineInfoHandling.Load,
                DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
                CommentHandling = CommentHandling.Ignore,
            });
        }
        catch (JsonReaderException ex)
        {
            var line = Math.Max(ex.LineNumber, 1);
            var column = Math.Max(ex.LinePosition, 1);
            var reason = ex.Message.Split(" Path '", 2)[0].TrimEnd('.');
            return [new PipelineDiagnostic(displayPath, line, column, "(json)", "not valid JSON: " + reason)];
        }

        var document = new PipelineDocument(displayPath, root, JsonLineIndex.Build(root), []);
        return document.Validate(DocumentPath.Root, PipelineSchemas.PluginManifestSchema);
    }
}
