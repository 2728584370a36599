namespace MyBi.Abstractions.Connectors;

/// <summary>What a finished connect dialog produced: a ready pipeline file and the secrets it references.</summary>
public sealed class ConnectResult
{
    /// <summary>The pipeline file text; secrets appear in it only as <c>${NAME}</c> references.</summary>
    public required string PipelineYaml { get; init; }

    /// <summary>Values for the referenced variables (tokens), to be kept out of the pipeline file. Never a password.</summary>
    public required IReadOnlyDictionary<string, string> Secrets { get; init; }

    /// <summary>A file name suggestion for the pipeline (without folder).</summary>
    public required string SuggestedFileName { get; init; }
}
