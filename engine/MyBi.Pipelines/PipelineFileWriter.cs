using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MyBi.Abstractions.Errors;

namespace MyBi.Pipelines;

/// <summary>
/// Writes new pipeline files (for <c>mybi connect</c>). The text it returns passes the checks of
/// <see cref="PipelineParser"/> once the variables it references are set: it checks that itself before returning.
/// </summary>
public static partial class PipelineFileWriter
{
    private static readonly HashSet<string> s_plainWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "null", "yes", "no", "on", "off", "y", "n",
    };

    /// <summary>The settings of the destination <paramref name="type"/> as <c>pipeline.schema.json</c> declares them.</summary>
    public static IReadOnlyList<DestinationSetting> DestinationSettings(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var branches = JsonNode.Parse(PipelineSchemas.Pipeline)?["definitions"]?["destination"]?["oneOf"] as JsonArray ?? [];
        foreach (var branch in branches.OfType<JsonObject>())
        {
            if (branch["properties"] is not JsonObject properties
                || properties["type"]?["enum"] is not JsonArray types
                || !types.Any(t => t?.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == type))
            {
                continue;
            }

            var required = (branch["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            return properties
                .Where(p => p.Key != "type" && p.Value is JsonObject)
                .Select(p => new DestinationSetting(
                    p.Key,
                    p.Value!["description"]?.GetValue<string>() ?? p.Key,
                    required.Contains(p.Key),
                    p.Value["x-secret"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True))
                .ToList();
        }

        throw MyBiException.Config($"The pipeline schema knows no destination type '{type}'.");
    }

    /// <summary>
    /// The variable that holds a secret setting: <c>&lt;PREFIX&gt;_&lt;KEY&gt;</c> in capitals, anything but a letter,
    /// digit or '_' made '_' (<c>yclients</c>, <c>user_token</c> give <c>YCLIENTS_USER_TOKEN</c>).
    /// </summary>
    public static string VariableName(string prefix, string key)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(key);
        var name = NotVariableCharacter().Replace($"{prefix}_{key}".ToUpperInvariant(), "_");
        return char.IsAsciiDigit(name[0]) ? "_" + name : name;
    }

    /// <summary>Renders <paramref name="content"/> as pipeline YAML.</summary>
    /// <exception cref="MyBiException">A System error when the result would not be a valid pipeline file.</exception>
    public static string Write(PipelineFileContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var variables = content.SourceSecrets.Values.Concat(content.DestinationSecrets.Values).Distinct(StringComparer.Ordinal).ToList();
        foreach (var variable in variables)
        {
            if (!VariableRule().IsMatch(variable))
            {
                throw MyBiException.System($"Cannot write the pipeline file: '{variable}' is not a variable name.");
            }
        }

        var text = new StringBuilder();
        foreach (var line in content.Comments)
        {
            text.Append("# ").AppendLine(Single(line));
        }

        if (variables.Count > 0)
        {
            text.AppendLine("# Secrets are not written here: they are read from the environment, or from .mybi/secrets.env beside")
                .AppendLine("# this file, when the pipeline runs:");
            text.Append("#   ").AppendLine(string.Join(", ", variables));
        }

        text.Append("name: ").AppendLine(Scalar(content.Name));
        text.AppendLine();
        text.AppendLine("source:");
        text.Append("  connector: ").AppendLine(Scalar(content.Connector));
        var config = Merge(content.SourceConfig, content.SourceSecrets);
        if (config.Count > 0)
        {
            text.AppendLine("  config:");
            WriteMapping(text, config, 2);
        }

        if (content.Streams.Count > 0)
        {
            text.AppendLine("  streams:");
            foreach (var stream in content.Streams)
            {
                text.Append("    - ").AppendLine(Scalar(stream));
            }
        }

        text.AppendLine();
        text.AppendLine("destination:");
        WriteMapping(text, Merge(content.Destination, content.DestinationSecrets), 1);
        var yaml = text.ToString();
        Check(yaml, variables);
        return yaml;
    }

    /// <summary>Values as they are, then each secret as a reference to its variable.</summary>
    private static List<(string Key, object? Value)> Merge(JsonObject values, IReadOnlyDictionary<string, string> secrets)
    {
        var merged = values.Where(p => !secrets.ContainsKey(p.Key)).Select(p => (p.Key, (object?)p.Value)).ToList();
        merged.AddRange(secrets.Select(s => (s.Key, (object?)new Reference(s.Value))));
        return merged;
    }

    private static void WriteMapping(StringBuilder text, IEnumerable<(string Key, object? Value)> entries, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (key, value) in entries)
        {
            text.Append(indent).Append(Key(key)).Append(':');
            switch (value)
            {
                case JsonObject nested:
                    text.AppendLine();
                    WriteMapping(text, nested.Select(p => (p.Key, (object?)p.Value)), depth + 1);
                    break;
                case JsonArray list:
                    text.Append(' ').Append('[').Append(string.Join(", ", list.Select(Scalar))).AppendLine("]");
                    break;
                default:
                    text.Append(' ').AppendLine(Scalar(value));
                    break;
            }
        }
    }

    private static string Key(string key) => PlainKey().IsMatch(key) ? key : Quoted(key);

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        Reference reference => "${" + reference.Variable + "}",
        string text => Text(text),
        JsonValue json => json.GetValueKind() switch
        {
            JsonValueKind.String => Text(json.GetValue<string>()),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => json.ToJsonString(),
            _ => "null",
        },
        JsonArray or JsonObject => throw MyBiException.System("Cannot write the pipeline file: a list may hold only plain values."),
        _ => Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    /// <summary>
    /// A literal text: plain when it can only read back as the same text, single-quoted otherwise; a literal
    /// <c>${</c> is written <c>$${</c> so that it is never taken for a variable.
    /// </summary>
    private static string Text(string value)
    {
        var text = Single(value).Replace("${", "$${", StringComparison.Ordinal);
        return PlainText().IsMatch(text) && !s_plainWords.Contains(text) ? text : Quoted(text);
    }

    private static string Quoted(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A value must stay on its line: a line break or control character cannot come from a dialog honestly.</summary>
    private static string Single(string value) =>
        value.Any(char.IsControl)
            ? throw MyBiException.System("Cannot write the pipeline file: a value holds a line break or a control character.")
            : value;

    /// <summary>Loads the text back with every referenced variable set; a problem is a fault of the writer or its caller.</summary>
    private static void Check(string yaml, IReadOnlyCollection<string> variables)
    {
        var result = PipelineParser.Parse(yaml, "(new pipeline)", Environment.CurrentDirectory, name => variables.Contains(name) ? "set" : null);
        if (!result.Success)
        {
            throw MyBiException.System($"The pipeline file to write is not valid: {string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}"))}.");
        }
    }

    private sealed record Reference(string Variable);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableRule();

    [GeneratedRegex("[^A-Z0-9_]")]
    private static partial Regex NotVariableCharacter();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainKey();

    // Starts with a letter, so it never reads back as a number; no character YAML gives a meaning in a plain scalar.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.-]*$")]
    private static partial Regex PlainText();
}

/// <summary>One setting of a destination type, as <c>pipeline.schema.json</c> declares it.</summary>
/// <param name="Key">The key in the <c>destination</c> block, e.g. <c>connection</c>.</param>
/// <param name="Description">The schema's description of it.</param>
/// <param name="Required">Whether the destination type needs it.</param>
/// <param name="Secret">Whether the schema marks it <c>x-secret</c>: it belongs in the secrets file, not the pipeline.</param>
public sealed record DestinationSetting(string Key, string Description, bool Required, bool Secret);
