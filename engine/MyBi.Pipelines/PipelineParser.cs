using MyBi.Pipelines.Internal;
using MyBi.Pipelines.Internal.Validation;
using MyBi.Pipelines.Internal.Yaml;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines;

/// <summary>
/// Loads pipeline files: reads the YAML, expands <c>${VAR}</c> and <c>${VAR:-default}</c>, validates against
/// <c>pipeline.schema.json</c> and the rules a schema cannot express, and reports every problem at once.
/// Mistakes in the file never throw; they come back as <see cref="PipelineParseResult.Errors"/>.
/// </summary>
public static class PipelineParser
{
    private const string FileLevelPath = "(file)";
    private const string YamlPath = "(yaml)";

    /// <summary>The largest pipeline file read (1 MiB); real ones are a few kilobytes, and a bigger text only costs memory to refuse.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly string TooLargeMessage = $"the file is larger than {MaxFileBytes / 1024 / 1024} MiB; a pipeline file is a few kilobytes";

    /// <summary>Loads the pipeline file at <paramref name="path"/>; relative paths inside resolve against its folder.</summary>
    /// <param name="path">The file, as the user named it (errors quote it as given).</param>
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    /// <param name="deferSourceVariables">
    /// Whether variables under <c>source.config</c> may be unset (commands that only read the destination); they are
    /// listed in <see cref="PipelineDefinition.UnsetSourceVariables"/> instead of being errors.
    /// </param>
    public static PipelineParseResult Load(string path, Func<string, string?>? environment = null, bool deferSourceVariables = false)
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

        string? text;
        try
        {
            text = ReadBounded(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileFailure(path, "cannot read the file: " + ex.Message);
        }

        if (text is null)
        {
            return FileFailure(path, TooLargeMessage);
        }

        return ParseText(text, path, fullPath, Path.GetDirectoryName(fullPath)!, environment, deferSourceVariables);
    }

    /// <summary>Parses pipeline text that did not come from a file on disk (or was read already).</summary>
    /// <param name="yamlText">The YAML.</param>
    /// <param name="displayPath">The name errors quote; also the definition's <see cref="PipelineDefinition.FilePath"/>.</param>
    /// <param name="baseDirectory">The folder relative paths in the file resolve against.</param>
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    public static PipelineParseResult Parse(string yamlText, string displayPath, string baseDirectory, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(displayPath);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (yamlText.Length > MaxFileBytes)
        {
            return FileFailure(displayPath, TooLargeMessage);
        }

        return ParseText(yamlText, displayPath, displayPath, Path.GetFullPath(baseDirectory), environment, deferSourceVariables: false);
    }

    private static PipelineParseResult ParseText(string yamlText, string displayPath, string filePath, string baseDirectory, Func<string, string?>? environment, bool deferSourceVariables)
    {
        var loaded = YamlTextLoader.Load(yamlText);
        if (loaded.Root is null)
        {
            var path = loaded.Problem == YamlTextLoader.EmptyFileMessage ? FileLevelPath : YamlPath;
            return new PipelineParseResult(null, [new PipelineDiagnostic(displayPath, loaded.Position.Line, loaded.Position.Column, path, loaded.Problem!)], null);
        }

        var built = YamlJsonBuilder.Build(loaded.Root, environment ?? Environment.GetEnvironmentVariable, deferSourceVariables ? "source.config" : null);
        var secrets = new SecretSet();
        foreach (var value in built.EnvironmentValues)
        {
            secrets.AddWithParts(value);
        }

        var document = new PipelineDocument(displayPath, built.Root, built.Index, built.UnresolvedPaths);
        var errors = PipelineDocument.Sort(
            built.Problems.Select(p => document.ErrorAt(p.Path, p.Position, p.Message))
                .Concat(document.Validate(DocumentPath.Root, PipelineSchemas.PipelineSchema))
                .Concat(SemanticChecks.Check(document)));
        if (errors.Count > 0 || built.Root is not JObject root)
        {
            return new PipelineParseResult(null, errors, document);
        }

        SecretCollector.Collect(PipelineSchemas.PipelineSchema, root, secrets);
        var (definition, bindError) = DefinitionBinder.Bind(root, filePath, baseDirectory, [.. secrets], document);
        if (definition is not null)
        {
            definition.UnsetSourceVariables = built.DeferredVariables;
        }

        return new PipelineParseResult(definition, bindError is null ? errors : [bindError], document);
    }

    /// <summary>The file's text, or <see langword="null"/> when it holds more than <see cref="MaxFileBytes"/> (read no further: it may be a device that never ends).</summary>
    private static string? ReadBounded(string fullPath)
    {
        using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (stream.CanSeek && stream.Length > MaxFileBytes)
        {
            return null;
        }

        var buffer = new byte[MaxFileBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        if (length > MaxFileBytes)
        {
            return null;
        }

        using var reader = new StreamReader(new MemoryStream(buffer, 0, length), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static PipelineParseResult FileFailure(string path, string message) =>
        new(null, [new PipelineDiagnostic(path, 0, 0, FileLevelPath, message)], null);
}
