namespace MyBi.Pipelines.Internal;

/// <summary>A problem found while building the document, before it is tied to a file name.</summary>
internal readonly record struct PositionedProblem(string Path, TextPosition Position, string Message);
