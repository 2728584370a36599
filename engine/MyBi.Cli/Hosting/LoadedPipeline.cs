using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Errors;
using MyBi.Cli.Output;
using MyBi.Engine.Reports;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Schema;
using MyBi.Engine.State;
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
            errors.AddRange(ValidateRules(definition, document, []));
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
        errors.AddRange(ValidateRules(definition, document, described.Streams));
        return errors.Count > 0 ? (null, SortByPosition(errors)) : (new LoadedPipeline(definition, connectorId, connector, catalog, notice), errors);
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

    /// <summary>
    /// Each rule file must be a readable regular file that parses, and its top level must run and declare only tables
    /// nobody else owns: not the engine's, a stream's, a report job's or another rule's of this pipeline. The top
    /// level runs in the sandbox, which reaches nothing outside it. Errors name the rule file's own line and column.
    /// </summary>
    private static IEnumerable<string> ValidateRules(PipelineDefinition definition, PipelineDocument document, IEnumerable<StreamDescriptor> streams)
    {
        var reserved = RuleTransforms.ReservedTables(definition, streams);
        var rules = definition.Source.Streams
            .Select((stream, i) => (Path: stream.TransformPath, At: $"source.streams[{i}].transform", Owner: TableOwner.Rule(definition.Name, "stream", stream.Name), Job: definition.Name, Stream: (string?)stream.Name))
            .Concat(definition.Reports.Select((report, i) => (Path: report.RulesPath, At: $"reports[{i}].rules", Owner: TableOwner.Rule(definition.Name, "report", report.Name), Job: report.Name, Stream: (string?)null)));
        foreach (var (path, at, owner, job, stream) in rules)
        {
            if (path is null)
            {
                continue;
            }

            var context = new RuleContext(job, DateOnly.FromDateTime(EngineClock.Current.GetUtcNow().UtcDateTime))
            {
                Stream = stream,
                ReservedTables = new Dictionary<string, string>(reserved, StringComparer.OrdinalIgnoreCase),
            };
            if (CheckRule(path, definition, context, out var tables) is string problem)
            {
                yield return document.ErrorAt(at, problem).ToString();
                continue;
            }

            foreach (var table in tables)
            {
                reserved.TryAdd(table.Name, owner.ToString());
            }
        }
    }

    private static string? CheckRule(string path, PipelineDefinition definition, RuleContext context, out IReadOnlyList<TableSchema> tables)
    {
        tables = [];
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return $"rule file '{path}' does not exist";
        }

        try
        {
            using var runner = new RuleRunner(RuleScript.Load(path), RuleTransforms.Limits(definition), context);
            tables = runner.Tables;
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

        }

        // Fixed-structure jobs write a table named after the job; two names may make one table ("Money in", "money-in").
        var tables = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < definition.Reports.Count; i++)
        {
            var report = definition.Reports[i];
            if (!report.FixStructure || report.RulesPath is not null)
            {
                continue;
            }

            var table = ReportTables.FixedTableName(report.Name);
            if (tables.TryGetValue(table, out var first))
            {
                var other = definition.Reports[first];
                yield return document.ErrorAt(
                    $"reports[{i}].name",
                    $"report jobs '{other.Name}' (line {document.ErrorAt($"reports[{first}].name", string.Empty).Line}) and '{report.Name}' would both write table {table}; a table has one owner, so rename one of them").ToString();
            }
            else
            {
                tables[table] = i;
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
