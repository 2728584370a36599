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
    private readonly SourceConnector? _connector;

    private LoadedPipeline(PipelineDefinition definition, string connectorId, SourceConnector? connector, PluginCatalog catalog, string? notice)
    {
        Definition = definition;
        ConnectorId = connectorId;
        _connector = connector;
        Catalog = catalog;
        Notice = notice;
        // Checking source.config against the connector's schema added its x-secret values to SecretValues.
        Redactor = new Redactor(definition.SecretValues);
    }

    public PipelineDefinition Definition { get; }

    /// <summary>The connector's id (source.connector).</summary>
    public string ConnectorId { get; }

    /// <summary>The loaded connector; only when the pipeline was loaded with its plugin's code.</summary>
    public SourceConnector Connector => _connector ?? throw new InvalidOperationException("The pipeline was checked without loading its plugin.");

    /// <summary>What the user should know about the checks that could not be made, or null.</summary>
    public string? Notice { get; }

    public PluginCatalog Catalog { get; }

    public Redactor Redactor { get; }

    public IReadOnlyList<string> SelectedStreams => Definition.Source.Streams.Select(s => s.Name).ToList();

    /// <summary>Loads and validates; returns the errors as printable lines when there are any.</summary>
    /// <param name="path">The pipeline file.</param>
    /// <param name="loadPlugin">
    /// Whether to load the connector plugin (running its code); without it, the connector's checks use the schema
    /// files its manifest declares, and <see cref="Connector"/> is not available.
    /// </param>
    public static (LoadedPipeline? Pipeline, IReadOnlyList<string> Errors) Load(string path, bool loadPlugin = true)
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
        SourceConnector? connector = null;
        PluginDescription? described;
        try
        {
            if (loadPlugin)
            {
                connector = catalog.GetConnector(connectorId);
                described = PluginDescription.Of(connector);
            }
            else
            {
                described = catalog.Describe(connectorId);
            }
        }
        catch (MyBiException ex) when (ex.Kind == FailureKind.Config)
        {
            errors.Add(document.ErrorAt("source.connector", ex.Message).ToString());
            return (null, errors);
        }

        if (described?.ConfigSchema is { } configSchema)
        {
            errors.AddRange(document.Validate("source.config", configSchema).Select(e => e.ToString()));
        }

        if (definition is null)
        {
            return (null, SortByPosition(errors));
        }

        string? notice = null;
        if (described is null)
        {
            // Nothing to check the connector's part against without running the plugin's code.
            notice = $"plugin '{connectorId}' declares no schema files in its plugin.json; source.config, streams, filters and reports were not checked against the connector";
            errors.AddRange(RuleFileErrors(definition, document));
            return errors.Count > 0 ? (null, SortByPosition(errors)) : (new LoadedPipeline(definition, connectorId, connector, catalog, notice), errors);
        }

        var offered = described.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            var name = definition.Source.Streams[i].Name;
            if (!offered.ContainsKey(name))
            {
                errors.Add(document.ErrorAt($"source.streams[{i}]", $"unknown stream '{name}'; '{described.Id}' offers: {string.Join(", ", offered.Keys)}").ToString());
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

        errors.AddRange(ValidateReports(definition, document, described));
        errors.AddRange(RuleFileErrors(definition, document));
        return errors.Count > 0 ? (null, SortByPosition(errors)) : (new LoadedPipeline(definition, connectorId, connector, catalog, notice), errors);
    }

    private static IEnumerable<string> RuleFileErrors(PipelineDefinition definition, PipelineDocument document)
    {
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            if (definition.Source.Streams[i].TransformPath is string rules && CheckRuleFile(rules) is string problem)
            {
                yield return document.ErrorAt($"source.streams[{i}].transform", problem).ToString();
            }
        }
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

    private static IEnumerable<string> ValidateReports(PipelineDefinition definition, PipelineDocument document, PluginDescription connector)
    {
        var types = connector.ReportTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Reports.Count; i++)
        {
            var report = definition.Reports[i];
            if (!types.TryGetValue(report.Type, out var type))
            {
                var offered = types.Count == 0 ? "none" : string.Join(", ", types.Keys);
                yield return document.ErrorAt($"reports[{i}].type", $"connector '{connector.Id}' has no report type '{report.Type}'; it offers: {offered}").ToString();
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
