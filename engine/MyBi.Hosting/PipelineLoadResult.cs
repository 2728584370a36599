using MyBi.Pipelines;

namespace MyBi.Hosting;

/// <summary>What loading a pipeline file gave: a validated pipeline, or every problem found (never both).</summary>
public sealed class PipelineLoadResult
{
    private PipelineLoadResult(LoadedPipeline? pipeline, IReadOnlyList<PipelineDiagnostic> diagnostics)
    {
        Pipeline = pipeline;
        Diagnostics = diagnostics;
    }

    /// <summary>The validated pipeline; <see langword="null"/> when there are diagnostics.</summary>
    public LoadedPipeline? Pipeline { get; }

    /// <summary>Every problem, ordered by line and column; empty when the pipeline loaded.</summary>
    public IReadOnlyList<PipelineDiagnostic> Diagnostics { get; }

    /// <summary>The pipeline, or <see cref="InvalidPipelineException"/> carrying the diagnostics.</summary>
    public LoadedPipeline GetPipelineOrThrow() => Pipeline ?? throw new InvalidPipelineException(Diagnostics);

    internal static PipelineLoadResult Loaded(LoadedPipeline pipeline) => new(pipeline, []);

    /// <summary>Problems found by different checks, put in the file's order (a stable sort keeps each check's order on one spot).</summary>
    internal static PipelineLoadResult Invalid(IEnumerable<PipelineDiagnostic> diagnostics) =>
        new(null, diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList());
}
