namespace MyBi.Pipelines;

/// <summary>The outcome of loading a pipeline file: the definition when the file is valid, and every problem found.</summary>
public sealed class PipelineParseResult
{
    internal PipelineParseResult(PipelineDefinition? definition, IReadOnlyList<PipelineDiagnostic> errors, PipelineDocument? document)
    {
        Definition = definition;
        Errors = errors;
        Document = document;
    }

    /// <summary>The typed definition; <see langword="null"/> when there are errors.</summary>
    public PipelineDefinition? Definition { get; }

    /// <summary>All problems, sorted by position. Empty when the file is valid.</summary>
    public IReadOnlyList<PipelineDiagnostic> Errors { get; }

    /// <summary>
    /// The parsed document with positions, for further checks against plugin schemas; <see langword="null"/> when
    /// the file could not be read or is not YAML.
    /// </summary>
    public PipelineDocument? Document { get; }

    /// <summary>Whether the file is valid (no errors).</summary>
    public bool Success => Errors.Count == 0;
}
