using MyBi.Pipelines.Internal;
using MyBi.Pipelines.Internal.Yaml;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines;

/// <summary>
/// Loads pipeline files: reads the YAML, expands <c>${VAR}</c> and <c>${VAR:-default}</c>, validates against
/// <c>pipeline.schema.json</c> and the rules a schema cannot express, and reports every problem at once.
/// Mistakes in the file never throw; they come back as <see cref="PipelineLoadResult.Errors"/>.
/// </summary>
public static class PipelineLoader
{
    private const string FileLevelPath = "(file)";
    private const string YamlPath = "(yaml)";

    /// <summary>Loads the pipeline file at <paramref name="path"/>; relative paths inside resolve against its folder.</summary>
    /// <param name="path">The file, as the user named it (errors quote it as given).</param>
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    public static PipelineLoadResult Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath;
        try
        {
            fullPath = Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return FileFailure(path, "is not a valid file path");
        }

        if (Directory.Exists(fullPath))
        {
            return FileFailure(path, "is a folder; name the pipeline file itself, e.g. pipeline.yaml");
        }

        if (!File.Exists(fullPath))
        {
            return FileFailure(path, "pipeline file not found; check the path");
        }

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileFailure(path, "cannot read the file: " + ex.Message);
        }

        return ParseText(text, path, fullPath, Path.GetDirectoryName(fullPath)!, environment);
    }

    /// <summary>Parses pipeline text that did not come from a file on disk (or was read already).</summary>
    /// <param name="yamlText">The YAML.</param>
    /// <param name="displayPath">The name errors quote; also the definition's <see cref="PipelineDefinition.FilePath"/>.</param>
    /// <param name="baseDirectory">The folder relative paths in the file resolve against.</param>
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    public static PipelineLoadResult Parse(string yamlText, string displayPath, string baseDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        return ParseText(yamlText, displayPath, displayPath, Path.GetFullPath(baseDirectory), environment);
    }

    private static PipelineLoadResult ParseText(string yamlText, string displayPath, string filePath, string baseDirectory, Func<string, string?>? environment)
    {
        var loaded = YamlTextLoader.Load(yamlText);
        if (loaded.Root is null)
        {
            var path = loaded.Problem == YamlTextLoader.EmptyFileMessage ? FileLevelPath : YamlPath;
            return new PipelineLoadResult(null, [new PipelineError(displayPath, loaded.Position.Line, loaded.Position.Column, path, loaded.Problem!)], null);
        }

        var built = YamlJsonBuilder.Build(loaded.Root, environment ?? Environment.GetEnvironmentVariable);
        var secrets = new SecretSet();
        foreach (var value in built.EnvironmentValues)
        {
            secrets.AddWithParts(value);
        }

        var document = new PipelineDocument(displayPath, built.Root, built.Index, secrets, built.UnresolvedPaths);
        var errors = PipelineDocument.Sort(
            built.Problems.Select(p => document.ErrorAt(p.Path, p.Position, p.Message))
                .Concat(document.Validate(DocumentPath.Root, PipelineSchemas.PipelineSchema))
                .Concat(SemanticChecks.Check(document)));
        var definition = errors.Count == 0 && built.Root is JObject root
            ? DefinitionBinder.Bind(root, filePath, baseDirectory, secrets)
            : null;
        return new PipelineLoadResult(definition, errors, document);
    }

    private static PipelineLoadResult FileFailure(string path, string message) =>
        new(null, [new PipelineError(path, 0, 0, FileLevelPath, message)], null);
}
