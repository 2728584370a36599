using System.Text.Json.Nodes;

namespace MyBi.Engine.Schema;

/// <summary>
/// The property tree a stream's schema describes. A leaf covers everything below it (a scalar or a JSON column);
/// an inner node is an object flattened into columns, whose unknown members are extra.
/// </summary>
internal sealed class KnownFields
{
    private readonly Dictionary<string, KnownFields> _children = new(StringComparer.Ordinal);

    private bool IsLeaf => _children.Count == 0;

    public static KnownFields From(IEnumerable<string[]> paths)
    {
        var root = new KnownFields();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var segment in path)
            {
                if (!node._children.TryGetValue(segment, out var child))
                {
                    child = new KnownFields();
                    node._children[segment] = child;
                }

                node = child;
            }
        }

        return root;
    }

    /// <summary>The members of <paramref name="data"/> this tree does not describe, nested as they came; null when none.</summary>
    public JsonObject? ExtraOf(JsonObject data)
    {
        JsonObject? extra = null;
        foreach (var (name, value) in data)
        {
            JsonNode? unknown;
            if (!_children.TryGetValue(name, out var child))
            {
                unknown = value?.DeepClone();
            }
            else if (!child.IsLeaf && value is JsonObject nested)
            {
                unknown = child.ExtraOf(nested);
                if (unknown is null)
                {
                    continue;
                }
            }
            else
            {
                continue;
            }

            extra ??= [];
            extra[name] = unknown;
        }

        return extra;
    }
}
