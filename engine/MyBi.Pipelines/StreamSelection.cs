namespace MyBi.Pipelines;

/// <summary>One entry of <c>source.streams</c>.</summary>
public sealed class StreamSelection
{
    internal StreamSelection(string name, string? transformPath)
    {
        Name = name;
        TransformPath = transformPath;
    }

    /// <summary>The stream name.</summary>
    public string Name { get; }

    /// <summary>The transformation rule file as an absolute path, or <see langword="null"/>.</summary>
    public string? TransformPath { get; }
}
