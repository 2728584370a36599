using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>Maps document paths to where they are written.</summary>
internal sealed class PathIndex
{
    private readonly Dictionary<string, NodeLocation> _locations = new(StringComparer.Ordinal);

    public void Add(string path, NodeLocation location) => _locations[path] = location;

    public NodeLocation? Find(string path) => _locations.GetValueOrDefault(path);

    /// <summary>Every written path whose value satisfies <paramref name="predicate"/>.</summary>
    public IEnumerable<(string Path, NodeLocation Location)> Where(Func<JToken, bool> predicate) =>
        _locations.Where(kv => predicate(kv.Value.Token)).Select(kv => (kv.Key, kv.Value));

    /// <summary>The location of <paramref name="path"/>, or of its nearest written ancestor.</summary>
    public (string Path, NodeLocation? Location) FindNearest(string path)
    {
        for (string? current = path; current is not null; current = DocumentPath.Parent(current))
        {
            if (_locations.TryGetValue(current, out var location))
            {
                return (current, location);
            }
        }

        return (DocumentPath.Root, null);
    }
}
