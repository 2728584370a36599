namespace MyBi.Pipelines.Internal;

/// <summary>A 1-based line and column in the file.</summary>
internal readonly record struct TextPosition(int Line, int Column)
{
    public static TextPosition Start { get; } = new(1, 1);
}
