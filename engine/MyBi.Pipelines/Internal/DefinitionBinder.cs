using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Reads a document that passed validation into the typed definition.</summary>
internal static class DefinitionBinder
{
    public static PipelineDefinition Bind(JObject root, string filePath, string baseDirectory, IReadOnlyCollection<string> secrets)
    {
        var source = (JObject)root["source"]!;
        var destination = (JObject)root["destination"]!;
        return new PipelineDefinition(
            filePath,
            baseDirectory,
            (string)root["name"]!,
            BindSource(source, baseDirectory),
            new DestinationDefinition((string)destination["type"]!, JsonNodeConversion.ToObject(destination)),
            root["plan"] is JObject plan ? new PlanDefinition(Int(plan["history_days"]), Long(plan["rows_per_month"])) : null,
            root["sync"] is JObject sync
                ? new SyncDefinition(Int(sync["batch_size"]) ?? SyncDefinition.DefaultBatchSize, Int(sync["lookback_days"]))
                : new SyncDefinition(SyncDefinition.DefaultBatchSize, null),
            root["rules"] is JObject rules ? BindRuleLimits(rules) : null,
            root["reports"] is JArray reports ? reports.OfType<JObject>().Select(r => BindReport(r, baseDirectory)).ToList() : [],
            Text(root["plugins_dir"]) is { } plugins ? Resolve(plugins, baseDirectory) : null,
            secrets);
    }

    private static SourceDefinition BindSource(JObject source, string baseDirectory)
    {
        var streams = source["streams"] is JArray list
            ? list.Select(item => item is JObject entry
                    ? new StreamSelection((string)entry["name"]!, Text(entry["transform"]) is { } transform ? Resolve(transform, baseDirectory) : null)
                    : new StreamSelection((string)item!, null))
                .ToList()
            : [];
        var filters = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (source["filters"] is JObject filterMap)
        {
            foreach (var property in filterMap.Properties())
            {
                filters[property.Name] = JsonNodeConversion.ToObject(property.Value);
            }
        }

        return new SourceDefinition((string)source["connector"]!, JsonNodeConversion.ToObject(source["config"]), streams, filters);
    }

    private static RuleLimitsDefinition BindRuleLimits(JObject rules) => new(
        Long(rules["timeout_ms"]) is long milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null,
        Long(rules["max_statements"]),
        Long(rules["max_memory_mb"]) is long megabytes ? megabytes * 1024 * 1024 : null,
        Int(rules["max_recursion"]),
        Int(rules["max_tables"]));

    private static ReportDefinition BindReport(JObject report, string baseDirectory) => new(
        (string)report["name"]!,
        (string)report["type"]!,
        report["fields"] is JArray fields ? fields.Select(f => (string)f!).ToList() : [],
        report["refresh"] is JObject refresh ? Int(refresh["lookback_days"]) : null,
        report["fix_structure"] is JValue { Type: JTokenType.Boolean } fix && (bool)fix,
        Text(report["rules"]) is { } rules ? Resolve(rules, baseDirectory) : null,
        Text(report["on_error"]) == "quarantine" ? ReportErrorMode.Quarantine : ReportErrorMode.Fail);

    private static string Resolve(string path, string baseDirectory) => Path.GetFullPath(path, baseDirectory);

    private static string? Text(JToken? token) => token is JValue { Type: JTokenType.String } text ? (string?)text : null;

    private static long? Long(JToken? token) => token is JValue { Type: JTokenType.Integer } integer ? (long)integer : null;

    private static int? Int(JToken? token) => token is JValue { Type: JTokenType.Integer } integer ? (int)integer : null;
}
