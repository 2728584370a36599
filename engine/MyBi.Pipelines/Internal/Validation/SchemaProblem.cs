namespace MyBi.Pipelines.Internal.Validation;

/// <summary>Which position of a path a problem points at.</summary>
internal enum ProblemAnchor
{
    /// <summary>The value (or, for a block mapping or list, its key).</summary>
    Node,

    /// <summary>The key itself (an unknown key).</summary>
    Key,

    /// <summary>The enclosing mapping (a missing key has no position of its own).</summary>
    Parent,
}

/// <summary>A schema violation in user terms.</summary>
internal readonly record struct SchemaProblem(string Path, ProblemAnchor Anchor, string Message);
