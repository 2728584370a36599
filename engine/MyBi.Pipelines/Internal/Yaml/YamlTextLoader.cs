using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>Reads a YAML text into its node tree, turning every kind of malformed input into a positioned problem.</summary>
internal static partial class YamlTextLoader
{
    public const string EmptyFileMessage = "the file is empty; a pipeline needs at least name, source and destination";

    public static YamlLoadOutcome Load(string text)
    {
        var parser = new MarkTrackingParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlLimitException ex)
        {
            return YamlLoadOutcome.Failure(ex.Position, ex.Message);
        }
        catch (YamlException ex)
        {
            var position = ex.Start.Line > 0 ? new TextPosition((int)ex.Start.Line, (int)ex.Start.Column) : parser.LastGood;
            return YamlLoadOutcome.Failure(position, Describe(ex.Message, text, position.Line));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some unterminated flow collections instead of a YamlException.
            return YamlLoadOutcome.Failure(parser.LastGood, Describe("could not read what follows; check brackets, quotes and indentation", text, parser.LastGood.Line));
        }

        if (stream.Documents.Count == 0)
        {
            return YamlLoadOutcome.Failure(TextPosition.Start, EmptyFileMessage);
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            return YamlLoadOutcome.Failure(
                new TextPosition((int)second.Line, (int)second.Column),
                "a pipeline file holds one YAML document; remove the '---' that starts a second one");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar && CoreSchemaScalars.IsNull(scalar.Value ?? ""))
        {
            return YamlLoadOutcome.Failure(new TextPosition((int)root.Start.Line, (int)root.Start.Column), EmptyFileMessage);
        }

        return YamlLoadOutcome.Success(root);
    }

    private static string Describe(string message, string text, int line)
    {
        var cleaned = PositionPrefix().Replace(message, "").Trim().TrimEnd('.');
        if (cleaned.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return $"duplicate key '{cleaned["Duplicate key ".Length..]}'";
        }

        var described = "YAML syntax error: " + (cleaned.Length > 0 ? char.ToLowerInvariant(cleaned[0]) + cleaned[1..] : "malformed input");
        return LineAt(text, line) is { } source && UsesReferenceInFlow(source)
            ? described + "; inside [ ] or { } put values that use ${...} in quotes"
            : described;
    }

    private static bool UsesReferenceInFlow(string line)
    {
        var reference = line.IndexOf("${", StringComparison.Ordinal);
        return reference > 0 && line[..reference].IndexOfAny(['[', '{']) >= 0;
    }

    private static string? LineAt(string text, int line)
    {
        if (line < 1)
        {
            return null;
        }

        using var reader = new StringReader(text);
        for (var i = 1; reader.ReadLine() is { } current; i++)
        {
            if (i == line)
            {
                return current;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
