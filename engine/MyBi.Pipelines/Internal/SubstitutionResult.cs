namespace MyBi.Pipelines.Internal;

/// <summary>A scalar after <c>${VAR}</c> substitution.</summary>
internal sealed class SubstitutionResult
{
    public SubstitutionResult(string value, bool isWholeReference, IReadOnlyList<SubstitutionProblem> problems, IReadOnlyList<string> environmentValues)
    {
        Value = value;
        IsWholeReference = isWholeReference;
        Problems = problems;
        EnvironmentValues = environmentValues;
    }

    public string Value { get; }

    /// <summary>The text was exactly one <c>${...}</c>, so a plain scalar takes the type of what it expands to.</summary>
    public bool IsWholeReference { get; }

    public IReadOnlyList<SubstitutionProblem> Problems { get; }

    /// <summary>The values read from the environment (not defaults): they are treated as secrets.</summary>
    public IReadOnlyList<string> EnvironmentValues { get; }
}

/// <summary>A malformed or unresolved reference at a character offset of the scalar.</summary>
/// <param name="UnsetVariable">The variable, when the problem is only that it is not set.</param>
internal readonly record struct SubstitutionProblem(int Offset, string Message, string? UnsetVariable = null);
