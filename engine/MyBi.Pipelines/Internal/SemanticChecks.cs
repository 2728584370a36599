using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Rules a JSON Schema cannot express: names that must be unique within the file.</summary>
internal static class SemanticChecks
{
    public static IEnumerable<PipelineDiagnostic> Check(PipelineDocument document)
    {
        if (document.Root is not JObject root)
        {
            return [];
        }

        return DuplicateStreams(document, root).Concat(DuplicateReports(document, root)).ToList();
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
}
