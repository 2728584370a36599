using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Output;
using MyBi.Engine.Reports;
using MyBi.Engine.Schema;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;
using MyBi.Rules;

namespace MyBi.Cli.Hosting;

/// <summary>
/// A pipeline file checked as a whole before anything runs: its own schema, the connector's config schema,
/// stream names and filters. Every problem is collected so the user sees them all at once.
/// </summary>
internal sealed class LoadedPipeline
{
    private LoadedPipeline(PipelineDefinition definition, SourceConnector connector, PluginCatalog catalog)
    {
        Definition = definition;
        Connector = connector;
        Catalog = catalog;
        // Checking source.config against the connector's schema added its x-secret values to SecretValues.
        Redactor = new Redactor(definition.SecretValues);
    }

    public PipelineDefinition Definition { get; }

    public SourceConnector Connector { get; }

    public PluginCatalog Catalog { get; }

    public Redactor Redactor { get; }

    public IReadOnlyList<string> SelectedStreams => Definition.Source.Streams.Select(s => s.Name).ToList();

    /// <summary>Loads and validates; returns the errors as printable lines when there are any.</summary>
    public static (LoadedPipeline? Pipeline, IReadOnlyList<string> Errors) Load(string path)
    {
        // ${VAR} comes from the environment first, then from the secrets file `mybi connect` wrote beside the pipeline.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        var secrets = SecretsFile.Read(folder);
        var result = PipelineLoader.Load(path, name => Environment.GetEnvironmentVariable(name) ?? secrets.GetValueOrDefault(name));
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        if (result.Document is not { } document)
        {
            return (null, errors);
        }

        // Even when the file has errors of its own, the connector's checks still run, so all mistakes show at once.
        var definition = result.Definition;
        var connectorId = definition?.Source.Connector ?? document.TryGetString("source.connector");
        if (connectorId is null)
        {
            return (null, errors);
        }

        var catalog = PluginCatalog.Discover(PluginDirectories.Resolve(definition?.PluginsDirectory ?? PluginsDirectoryOf(document, path)));
        SourceConnector connector;
        try
        {
            connector = catalog.GetConnector(connectorId);
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            errors.Add(document.ErrorAt("source.connector", ex.Message).ToString());
            return (null, errors);
        }

        if (definition is null)
        {
            errors.AddRange(document.Validate("source.config", connector.ConfigSchema).Select(e => e.ToString()));
            return (null, SortByPosition(errors));
        }

        errors.AddRange(document.Validate("source.config", connector.ConfigSchema).Select(e => e.ToString()));
        var offered = connector.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            var name = definition.Source.Streams[i].Name;
            if (!offered.ContainsKey(name))
            {
                errors.Add(document.ErrorAt($"source.streams[{i}]", $"unknown stream '{name}'; '{connector.Name}' offers: {string.Join(", ", offered.Keys)}").ToString());
            }
        }

        foreach (var (stream, filter) in definition.Source.Filters)
        {
            if (!offered.TryGetValue(stream, out var descriptor))
            {
                errors.Add(document.ErrorAt($"source.filters.{stream}", $"unknown stream '{stream}'").ToString());
                continue;
            }

            if (definition.Source.Streams.Count > 0 && definition.Source.Streams.All(s => s.Name != stream))
            {
                errors.Add(document.ErrorAt($"source.filters.{stream}", $"stream '{stream}' is not selected in source.streams").ToString());
                continue;
            }

            errors.AddRange(document.Validate($"source.filters.{stream}", FilterSchema(descriptor.JsonSchema, stream)).Select(e => e.ToString()));
        }

        errors.AddRange(ValidateReports(definition, document, connector));
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            if (definition.Source.Streams[i].TransformPath is string rules && CheckRuleFile(rules) is string problem)
            {
                errors.Add(document.ErrorAt($"source.streams[{i}].transform", problem).ToString());
            }
        }

        return errors.Count > 0 ? (null, SortByPosition(errors)) : (new LoadedPipeline(definition, connector, catalog), errors);
    }

    private static string? PluginsDirectoryOf(PipelineDocument document, string path) =>
        document.TryGetString("plugins_dir") is string dir ? Path.GetFullPath(dir, Path.GetDirectoryName(Path.GetFullPath(path))!) : null;

    /// <summary>Orders "file:line:column: …" lines by line and column.</summary>
    private static List<string> SortByPosition(List<string> errors) =>
        errors.Select(e => (Line: e, Key: PositionKey(e))).OrderBy(x => x.Key.Line).ThenBy(x => x.Key.Column).Select(x => x.Line).ToList();

    private static (int Line, int Column) PositionKey(string error)
    {
        var parts = error.Split(':');
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (int.TryParse(parts[i], System.Globalization.CultureInfo.InvariantCulture, out var line) && int.TryParse(parts[i + 1], System.Globalization.CultureInfo.InvariantCulture, out var column))
            {
                return (line, column);
            }
        }

        return (int.MaxValue, 0);
    }

    /// <summary>A rule file must exist and parse; a syntax error names the rule file's own line and column.</summary>
    private static string? CheckRuleFile(string path)
    {
        if (!File.Exists(path))
        {
            return $"rule file '{path}' does not exist";
        }

        try
        {
            RuleScript.Load(path);
            return null;
        }
        catch (MyBiException ex)
        {
            return ex.Message;
        }
    }

    private static IEnumerable<string> ValidateReports(PipelineDefinition definition, PipelineDocument document, SourceConnector connector)
    {
        var types = connector.ReportTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Reports.Count; i++)
        {
            var report = definition.Reports[i];
            if (!types.TryGetValue(report.Type, out var type))
            {
                var offered = types.Count == 0 ? "none" : string.Join(", ", types.Keys);
                yield return document.ErrorAt($"reports[{i}].type", $"connector '{connector.Name}' has no report type '{report.Type}'; it offers: {offered}").ToString();
                continue;
            }

            var fields = ReportFields.Of(type);
            for (var j = 0; j < report.Fields.Count; j++)
            {
                if (!fields.Contains(report.Fields[j]))
                {
                    yield return document.ErrorAt($"reports[{i}].fields[{j}]", $"report type '{report.Type}' has no field '{report.Fields[j]}'; it has: {string.Join(", ", fields.Paths)}").ToString();
                }
            }

            if (report.RulesPath is string rules && CheckRuleFile(rules) is string problem)
            {
                yield return document.ErrorAt($"reports[{i}].rules", problem).ToString();
            }
        }
    }

    /// <summary>
    /// The filters a stream accepts are declared by its schema's <c>x-filters</c>: a JSON Schema of the filter object
    /// (or just its properties map). Undeclared filter keys are refused.
    /// </summary>
    private static string FilterSchema(string streamSchema, string stream)
    {
        var declared = (JsonNode.Parse(streamSchema) as JsonObject)?["x-filters"]?.DeepClone() as JsonObject;
        JsonObject schema;
        if (declared is not null && (declared.ContainsKey("properties") || declared.ContainsKey("type")))
        {
            schema = declared;
        }
        else
        {
            schema = new JsonObject { ["type"] = "object", ["properties"] = declared ?? new JsonObject() };
        }

        schema["additionalProperties"] = false;
        schema["description"] ??= $"Filters of stream {stream}";
        return schema.ToJsonString();
    }
}
