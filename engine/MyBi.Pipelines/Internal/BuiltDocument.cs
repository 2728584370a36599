using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>What <see cref="YamlJsonBuilder"/> produces.</summary>
internal sealed class BuiltDocument
{
    public BuiltDocument(JToken root, PathIndex index, IReadOnlyList<PositionedProblem> problems, IReadOnlyList<string> environmentValues, IReadOnlyList<string> unresolvedPaths)
    {
        Root = root;
        Index = index;
        Problems = problems;
        EnvironmentValues = environmentValues;
        UnresolvedPaths = unresolvedPaths;
    }

    public JToken Root { get; }

    public PathIndex Index { get; }

    public IReadOnlyList<PositionedProblem> Problems { get; }

    public IReadOnlyList<string> EnvironmentValues { get; }

    /// <summary>Paths whose value holds an unresolved reference: schema complaints about them would only be noise.</summary>
    public IReadOnlyList<string> UnresolvedPaths { get; }

    /// <summary>Unset variables that were allowed to stay unset (see <see cref="YamlJsonBuilder.Build"/>).</summary>
    public IReadOnlyList<string> DeferredVariables { get; init; } = [];
}
