namespace MyBi.Engine.State;

/// <summary>One row of <c>_mybi_runs</c>.</summary>
public sealed record RunRecord
{
    /// <summary>Unique id of the run.</summary>
    public required string RunId { get; init; }

    /// <summary>The pipeline name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>What ran: sync, report, ...</summary>
    public string Kind { get; init; } = "sync";

    /// <summary>How far the run got.</summary>
    public required RunStatus Status { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended, if it did.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Explicit period start, if one was asked.</summary>
    public DateOnly? PeriodFrom { get; init; }

    /// <summary>Explicit period end, if one was asked.</summary>
    public DateOnly? PeriodTo { get; init; }

    /// <summary>Rows written in total.</summary>
    public long RowsWritten { get; init; }

    /// <summary>The error or stop message, if any.</summary>
    public string? Message { get; init; }
}
