using MyBi.Engine.State;

namespace MyBi.Engine.Running;

/// <summary>How a run ended.</summary>
public sealed class RunResult
{
    /// <summary>The run id, as stored in _mybi_runs.</summary>
    public required string RunId { get; init; }

    /// <summary>Succeeded or QuotaExhausted (failures throw).</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Rows written per table.</summary>
    public required IReadOnlyDictionary<string, long> RowsByTable { get; init; }

    /// <summary>Wall time per table, from its first row to its last write.</summary>
    public required IReadOnlyDictionary<string, TimeSpan> TimeByTable { get; init; }

    /// <summary>Warnings the source reported.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Why the run stopped early, if it did.</summary>
    public string? Message { get; init; }

    /// <summary>Total rows written.</summary>
    public long TotalRows => RowsByTable.Values.Sum();
}
