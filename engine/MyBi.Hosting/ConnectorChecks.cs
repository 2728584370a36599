using System.Text.Json.Nodes;
using MyBi.Abstractions.Errors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Reports;
using MyBi.Engine.State;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;
using MyBi.Rules;

namespace MyBi.Hosting;

/// <summary>
/// The checks of a pipeline against its connector: stream names, filters, report types and fields, rule files.
/// Each problem is positioned in the pipeline file.
/// </summary>
internal static class ConnectorChecks
{
    /// <summary>Every check that needs what the connector offers.</summary>
    public static IEnumerable<PipelineDiagnostic> All(PipelineDefinition definition, PipelineDocument document, PluginDescription described, DateOnly today) =>
        Streams(definition, document, described)
            .Concat(Retention(definition, document, described))
            .Concat(Reconcile(definition, document, described))
            .Concat(Reports(definition, document, described))
            .Concat(Rules(definition, document, described.Streams, today));

    /// <summary>
    /// Retention cleans only tables of streams the pipeline loads itself (never the engine's, never a rule's), and
    /// by business date only streams that declare one.
    /// </summary>
    private static IEnumerable<PipelineDiagnostic> Retention(PipelineDefinition definition, PipelineDocument document, PluginDescription described)
    {
        if (definition.Retention is not { } retention)
        {
            yield break;
        }

        var offered = described.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var loaded = definition.Source.Streams.Count > 0 ? definition.Source.Streams.Select(s => s.Name).ToList() : offered.Keys.ToList();
        for (var i = 0; i < retention.Tables.Count; i++)
        {
            var name = retention.Tables[i];
            var at = $"retention.tables[{i}]";
            if (name.StartsWith("_mybi_", StringComparison.OrdinalIgnoreCase))
            {
                yield return document.ErrorAt(at, $"'{name}' is an engine table; retention never deletes from the engine's own tables");
            }
            else if (!offered.TryGetValue(name, out var stream))
            {
                yield return document.ErrorAt(at, $"unknown table '{name}'; retention cleans the tables of the streams this pipeline loads: {string.Join(", ", loaded)}");
            }
            else if (!loaded.Contains(name, StringComparer.Ordinal))
            {
                yield return document.ErrorAt(at, $"stream '{name}' is not loaded by this pipeline (source.streams), so its table is not this pipeline's to clean");
            }
            else if (definition.Source.Streams.FirstOrDefault(s => s.Name == name)?.TransformPath is not null)
            {
                yield return document.ErrorAt(at, $"stream '{name}' is loaded through a rule into the rule's tables; retention cleans stream tables only");
            }
            else if (retention.By == RetentionBasis.BusinessDate && stream.BusinessDate is null)
            {
                yield return document.ErrorAt(at, $"stream '{name}' declares no business date; use 'by: loaded_at' or leave it out");
            }
        }
    }

    /// <summary>Reconcile compares only tables of streams the pipeline loads itself (never a rule's tables).</summary>
    private static IEnumerable<PipelineDiagnostic> Reconcile(PipelineDefinition definition, PipelineDocument document, PluginDescription described)
    {
        if (definition.Reconcile is not { } reconcile)
        {
            yield break;
        }

        var offered = described.Streams.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var loaded = definition.Source.Streams.Count > 0 ? definition.Source.Streams.Select(s => s.Name).ToList() : offered.ToList();
        for (var i = 0; i < reconcile.Streams.Count; i++)
        {
            var name = reconcile.Streams[i];
            var at = $"reconcile.streams[{i}]";
            if (!offered.Contains(name))
            {
                yield return document.ErrorAt(at, $"unknown stream '{name}'; reconcile compares streams this pipeline loads: {string.Join(", ", loaded)}");
            }
            else if (!loaded.Contains(name, StringComparer.Ordinal))
            {
                yield return document.ErrorAt(at, $"stream '{name}' is not loaded by this pipeline (source.streams), so there is nothing of it to compare");
            }
            else if (definition.Source.Streams.FirstOrDefault(s => s.Name == name)?.TransformPath is not null)
            {
                yield return document.ErrorAt(at, $"stream '{name}' is loaded through a rule into the rule's tables; reconcile compares stream tables only");
            }
        }
    }

    private static IEnumerable<PipelineDiagnostic> Streams(PipelineDefinition definition, PipelineDocument document, PluginDescription described)
    {
        var offered = described.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Source.Streams.Count; i++)
        {
            var name = definition.Source.Streams[i].Name;
            if (!offered.ContainsKey(name))
            {
                yield return document.ErrorAt($"source.streams[{i}]", $"unknown stream '{name}'; '{described.Id}' offers: {string.Join(", ", offered.Keys)}");
            }
        }

        foreach (var (stream, filter) in definition.Source.Filters)
        {
            if (!offered.TryGetValue(stream, out var descriptor))
            {
                yield return document.ErrorAt($"source.filters.{stream}", $"unknown stream '{stream}'");
                continue;
            }

            if (definition.Source.Streams.Count > 0 && definition.Source.Streams.All(s => s.Name != stream))
            {
                yield return document.ErrorAt($"source.filters.{stream}", $"stream '{stream}' is not selected in source.streams");
                continue;
            }

            foreach (var problem in document.Validate($"source.filters.{stream}", FilterSchema(descriptor.JsonSchema, stream)))
            {
                yield return problem;
            }
        }
    }

    /// <summary>
    /// Each rule file must be a readable regular file that parses, and its top level must run and declare only tables
    /// nobody else owns: not the engine's, a stream's, a report job's or another rule's of this pipeline. The top
    /// level runs in the sandbox, which reaches nothing outside it. Errors name the rule file's own line and column.
    /// </summary>
    public static IEnumerable<PipelineDiagnostic> Rules(PipelineDefinition definition, PipelineDocument document, IEnumerable<StreamDescriptor> streams, DateOnly today)
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

            var context = new RuleContext(job, today)
            {
                Stream = stream,
                ReservedTables = new Dictionary<string, string>(reserved, StringComparer.OrdinalIgnoreCase),
            };
            if (CheckRule(path, definition, context, out var tables) is string problem)
            {
                yield return document.ErrorAt(at, problem);
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

    private static IEnumerable<PipelineDiagnostic> Reports(PipelineDefinition definition, PipelineDocument document, PluginDescription connector)
    {
        var types = connector.ReportTypes.ToDictionary(t => t.Name, StringComparer.Ordinal);
        for (var i = 0; i < definition.Reports.Count; i++)
        {
            var report = definition.Reports[i];
            if (!types.TryGetValue(report.Type, out var type))
            {
                var offered = types.Count == 0 ? "none" : string.Join(", ", types.Keys);
                yield return document.ErrorAt($"reports[{i}].type", $"connector '{connector.Id}' has no report type '{report.Type}'; it offers: {offered}");
                continue;
            }

            var fields = ReportFields.Of(type);
            for (var j = 0; j < report.Fields.Count; j++)
            {
                if (!fields.Contains(report.Fields[j]))
                {
                    yield return document.ErrorAt($"reports[{i}].fields[{j}]", $"report type '{report.Type}' has no field '{report.Fields[j]}'; it has: {string.Join(", ", fields.Paths)}");
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
                    $"report jobs '{other.Name}' (line {document.ErrorAt($"reports[{first}].name", string.Empty).Line}) and '{report.Name}' would both write table {table}; a table has one owner, so rename one of them");
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
