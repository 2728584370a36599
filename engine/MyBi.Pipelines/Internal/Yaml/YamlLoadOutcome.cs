using YamlDotNet.RepresentationModel;

namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>The root node of a YAML text, or why there is none.</summary>
internal sealed class YamlLoadOutcome
{
    private YamlLoadOutcome(YamlNode? root, TextPosition position, string? problem)
    {
        Root = root;
        Position = position;
        Problem = problem;
    }

    public YamlNode? Root { get; }

    public TextPosition Position { get; }

    public string? Problem { get; }

    public static YamlLoadOutcome Success(YamlNode root) => new(root, TextPosition.Start, null);

    public static YamlLoadOutcome Failure(TextPosition position, string problem) => new(null, position, problem);
}
