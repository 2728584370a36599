using MyBi.Pipelines;

namespace MyBi.Hosting;

/// <summary>A pipeline file with problems, for a host that stops at the first invalid file; each diagnostic is positioned.</summary>
public sealed class InvalidPipelineException : Exception
{
    /// <summary>Creates the exception from the problems found, in order.</summary>
    public InvalidPipelineException(IReadOnlyList<PipelineDiagnostic> diagnostics)
        : base($"{diagnostics.Count} problem{(diagnostics.Count == 1 ? "" : "s")} found in the pipeline file")
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Every problem, sorted by position.</summary>
    public IReadOnlyList<PipelineDiagnostic> Diagnostics { get; }
}
