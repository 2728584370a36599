using MyBi.Pipelines.Internal.Validation;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Rules a JSON Schema cannot express: names that must be unique within the file, schedules that must parse and name jobs the file has.</summary>
internal static class SemanticChecks
{
    public static IEnumerable<PipelineDiagnostic> Check(PipelineDocument document)
    {
        if (document.Root is not JObject root)
        {
            return [];
        }

        return DuplicateStreams(document, root).Concat(DuplicateReports(document, root)).Concat(Schedules(document, root)).ToList();
    }

    private static IEnumerable<PipelineDiagnostic> DuplicateStreams(PipelineDocument document, JObject root)
    {
        if (root["source"] is not JObject { } source || source["streams"] is not JArray streams)
        {
            yield break;
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < streams.Count; i++)
        {
            var itemPath = DocumentPath.Item("source.streams", i);
            var (name, path) = streams[i] switch
            {
                JValue { Type: JTokenType.String } text => ((string?)text, itemPath),
                JObject { } entry when entry["name"] is JValue { Type: JTokenType.String } text => ((string?)text, DocumentPath.Child(itemPath, "name")),
                _ => (null, itemPath),
            };
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (seen.TryGetValue(name, out var first))
            {
                yield return document.ErrorAt(path, $"duplicate stream: it is already listed at {first} (line {document.PositionOf(first).Line})");
            }
            else
            {
                seen[name] = path;
            }
        }
    }

    private static IEnumerable<PipelineDiagnostic> DuplicateReports(PipelineDocument document, JObject root)
    {
        if (root["reports"] is not JArray reports)
        {
            yield break;
        }

        // Report names become table names, where case does not separate them.
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < reports.Count; i++)
        {
            if (reports[i] is not JObject report || report["name"] is not JValue { Type: JTokenType.String } text)
            {
                continue;
            }

            var name = ((string)text!).Trim();
            var path = DocumentPath.Child(DocumentPath.Item("reports", i), "name");
            if (seen.TryGetValue(name, out var first))
            {
                yield return document.ErrorAt(path, $"duplicate report name: {first} has the same name (line {document.PositionOf(first).Line}); report names must be unique");
            }
            else
            {
                seen[name] = path;
            }
        }
    }

    private static IEnumerable<PipelineDiagnostic> Schedules(PipelineDocument document, JObject root)
    {
        if (root["schedule"] is not JObject schedule)
        {
            yield break;
        }

        foreach (var job in new[] { "sync", "reconcile", "retention" })
        {
            if (schedule[job] is JValue { Type: JTokenType.String } text && Cron(document, DocumentPath.Child("schedule", job), (string)text!) is { } problem)
            {
                yield return problem;
            }
        }

        if (schedule["retention"] is JValue { Type: JTokenType.String } && root["retention"] is not JObject)
        {
            yield return document.ErrorAt("schedule.retention", "retention is scheduled but the file has no retention block; add e.g. 'retention: {days: 90}'");
        }

        if (schedule["reports"] is JObject reports)
        {
            var names = (root["reports"] as JArray ?? []).OfType<JObject>()
                .Select(r => r["name"] is JValue { Type: JTokenType.String } name ? ((string)name!).Trim() : null)
                .Where(n => n is not null)
                .ToHashSet(StringComparer.Ordinal);
            foreach (var (name, value) in reports)
            {
                var path = DocumentPath.Child("schedule.reports", name);
                if (!names.Contains(name))
                {
                    var known = names.Count == 0 ? "the file has no reports" : "the file's reports are " + string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
                    yield return document.ErrorAt(path, $"no report job is named '{name}'; {known}", ProblemAnchor.Key);
                }

                if (value is JValue { Type: JTokenType.String } text && Cron(document, path, (string)text!) is { } problem)
                {
                    yield return problem;
                }
            }
        }

        if (schedule["timezone"] is JValue { Type: JTokenType.String } zone && !TimeZoneInfo.TryFindSystemTimeZoneById((string)zone!, out _))
        {
            yield return document.ErrorAt("schedule.timezone", "unknown time zone; use an IANA name such as Europe/Moscow or UTC");
        }
    }

    private static PipelineDiagnostic? Cron(PipelineDocument document, string path, string text) =>
        CronSchedule.TryParse(text, out _, out var problem) ? null : document.ErrorAt(path, problem!);
}
