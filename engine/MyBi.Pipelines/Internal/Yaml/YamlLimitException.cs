namespace MyBi.Pipelines.Internal.Yaml;

/// <summary>The YAML text is larger or deeper than a pipeline file may be; raised while reading, before any tree is built.</summary>
internal sealed class YamlLimitException : Exception
{
    public YamlLimitException(TextPosition position, string message)
        : base(message)
    {
        Position = position;
    }

    public YamlLimitException()
    {
    }

    public YamlLimitException(string message)
        : base(message)
    {
    }

    public YamlLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TextPosition Position { get; } = TextPosition.Start;
}
