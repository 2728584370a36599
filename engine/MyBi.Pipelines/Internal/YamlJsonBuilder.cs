using Newtonsoft.Json.Linq;
using MyBi.Pipelines.Internal.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MyBi.Pipelines.Internal;

/// <summary>
/// Turns the YAML node tree into JSON (what the schemas validate) while recording where every path is written,
/// expanding environment references and typing plain scalars by the YAML 1.2 core schema.
/// </summary>
internal sealed class YamlJsonBuilder
{
    // Aliases can make a small file expand enormously ("billion laughs"); a pipeline never needs this much.
    private const int MaxNodes = 200_000;
    private const int MaxDepth = 64;
    private const string StringTag = "tag:yaml.org,2002:str";

    private readonly Func<string, string?> _environment;
    private readonly PathIndex _index = new();
    private readonly List<PositionedProblem> _problems = [];
    private readonly List<string> _environmentValues = [];
    private readonly List<string> _unresolvedPaths = [];
    private readonly List<string> _deferredVariables = [];
    private readonly string? _deferrable;
    private int _nodes;

    private YamlJsonBuilder(Func<string, string?> environment, string? deferrable)
    {
        _environment = environment;
        _deferrable = deferrable;
    }

    /// <param name="root">The YAML document.</param>
    /// <param name="environment">Reads variables.</param>
    /// <param name="deferrable">
    /// A path under which an unset variable is no problem yet but is listed in <see cref="BuiltDocument.DeferredVariables"/>
    /// (the source's credentials, for commands that never reach the source); null: every unset variable is a problem.
    /// </param>
    public static BuiltDocument Build(YamlNode root, Func<string, string?> environment, string? deferrable = null)
    {
        var builder = new YamlJsonBuilder(environment, deferrable);
        var token = builder.Convert(root, DocumentPath.Root, null, 0) ?? JValue.CreateNull();
        return new BuiltDocument(token, builder._index, builder._problems, builder._environmentValues, builder._unresolvedPaths)
        {
            DeferredVariables = builder._deferredVariables.Distinct(StringComparer.Ordinal).ToList(),
        };
    }

    private JToken? Convert(YamlNode node, string path, TextPosition? key, int depth)
    {
        var position = PositionOf(node.Start);
        if (++_nodes > MaxNodes || depth > MaxDepth)
        {
            if (_nodes == MaxNodes + 1 || depth == MaxDepth + 1)
            {
                _problems.Add(new PositionedProblem(path, position, "the document is nested or repeated too deeply (check anchors and aliases)"));
            }

            return null;
        }

        JToken token = node switch
        {
            YamlScalarNode scalar => ConvertScalar(scalar, path, position),
            YamlSequenceNode sequence => ConvertSequence(sequence, path, depth),
            YamlMappingNode mapping => ConvertMapping(mapping, path, depth),
            _ => JValue.CreateNull(),
        };
        _index.Add(path, new NodeLocation(token, key, position));
        return token;
    }

    private JArray ConvertSequence(YamlSequenceNode sequence, string path, int depth)
    {
        var array = new JArray();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            array.Add(Convert(sequence.Children[i], DocumentPath.Item(path, i), null, depth + 1) ?? JValue.CreateNull());
        }

        return array;
    }

    private JObject ConvertMapping(YamlMappingNode mapping, string path, int depth)
    {
        var result = new JObject();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var keyPosition = PositionOf(keyNode.Start);
            if (keyNode is not YamlScalarNode { Value: { } name })
            {
                _problems.Add(new PositionedProblem(path, keyPosition, "keys must be plain text, not lists or mappings"));
                continue;
            }

            var childPath = DocumentPath.Child(path, name);
            if (result.ContainsKey(name))
            {
                _problems.Add(new PositionedProblem(childPath, keyPosition, $"duplicate key '{name}'"));
                continue;
            }

            result[name] = Convert(valueNode, childPath, keyPosition, depth + 1) ?? JValue.CreateNull();
        }

        return result;
    }

    private JToken ConvertScalar(YamlScalarNode scalar, string path, TextPosition position)
    {
        var text = scalar.Value ?? "";
        var plain = scalar.Style == ScalarStyle.Plain;
        var substitution = EnvironmentSubstitution.Apply(text, _environment);
        _environmentValues.AddRange(substitution.EnvironmentValues);
        if (substitution.Problems.Count > 0 && _deferrable is not null && DocumentPath.IsWithin(path, _deferrable)
            && substitution.Problems.All(p => p.UnsetVariable is not null))
        {
            _unresolvedPaths.Add(path);
            _deferredVariables.AddRange(substitution.Problems.Select(p => p.UnsetVariable!));
        }
        else if (substitution.Problems.Count > 0)
        {
            _unresolvedPaths.Add(path);
            foreach (var problem in substitution.Problems)
            {
                _problems.Add(new PositionedProblem(path, OffsetWithin(scalar, position, problem.Offset), problem.Message));
            }
        }

        if (!scalar.Tag.IsEmpty)
        {
            return TaggedScalar(scalar, substitution.Value, path, position);
        }

        if (!plain)
        {
            return new JValue(substitution.Value);
        }

        if (text.Contains('$', StringComparison.Ordinal) && !substitution.IsWholeReference)
        {
            // Text around a reference makes a string, whatever the variable holds.
            return new JValue(substitution.Value);
        }

        var typed = CoreSchemaScalars.Resolve(substitution.Value);
        if (typed is null)
        {
            _problems.Add(new PositionedProblem(path, position, "infinite and NaN numbers are not supported"));
            return JValue.CreateNull();
        }

        // An empty or "null" environment value is a string: only the file itself writes nulls.
        return substitution.IsWholeReference && typed.Type == JTokenType.Null ? new JValue(substitution.Value) : typed;
    }

    private JToken TaggedScalar(YamlScalarNode scalar, string value, string path, TextPosition position)
    {
        var tag = scalar.Tag.Value;
        if (scalar.Tag.IsNonSpecific || tag == StringTag)
        {
            return new JValue(value);
        }

        if (tag is "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null")
        {
            return CoreSchemaScalars.Resolve(value) ?? JValue.CreateNull();
        }

        _problems.Add(new PositionedProblem(path, position, "YAML tags other than !!str, !!int, !!float, !!bool and !!null are not supported"));
        return new JValue(value);
    }

    /// <summary>Points into a one-line scalar at the reference itself; multi-line scalars are pointed at as a whole.</summary>
    private static TextPosition OffsetWithin(YamlScalarNode scalar, TextPosition start, int offset)
    {
        if (scalar.Start.Line != scalar.End.Line)
        {
            return start;
        }

        return scalar.Style switch
        {
            ScalarStyle.Plain => start with { Column = start.Column + offset },
            ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted => start with { Column = start.Column + 1 + offset },
            _ => start,
        };
    }

    private static TextPosition PositionOf(Mark mark) => new((int)mark.Line, (int)mark.Column);
}
