using MyBi.Abstractions.Records;
using MyBi.Engine.State;

namespace MyBi.Engine.Retention;

/// <summary>Everything one retention run needs, already validated by the caller.</summary>
public sealed class RetentionJob
{
    /// <summary>The pipeline; the run is recorded under it and may touch only the tables its streams own.</summary>
    public required string Pipeline { get; init; }

    /// <summary>Days kept (the horizon is computed from the run's clock).</summary>
    public required int Days { get; init; }

    /// <summary>The tables to clean, children before their parents.</summary>
    public required IReadOnlyList<RetentionTarget> Tables { get; init; }

    /// <summary>Count what would go, delete nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Rows per delete batch (a destination may bound a batch otherwise, e.g. by month).</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Masks the pipeline's secrets in the run message stored in the destination.</summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;
}

/// <summary>One table retention cleans: its stream's table and the column that dates its rows.</summary>
/// <param name="Stream">The stream whose table it is (the owner retention checks).</param>
/// <param name="Table">The table.</param>
/// <param name="DateColumn">The business date the stream declares, or <c>_loaded_at</c>.</param>
/// <param name="Parent">For a child stream, the stream its rows belong to.</param>
public sealed record RetentionTarget(string Stream, TableSchema Table, string DateColumn, string? Parent);
