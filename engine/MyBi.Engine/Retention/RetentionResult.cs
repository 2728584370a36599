using System.Globalization;
using MyBi.Engine.State;

namespace MyBi.Engine.Retention;

/// <summary>How a retention run ended: per table, what it would delete and what it deleted.</summary>
public sealed class RetentionResult
{
    /// <summary>The run id, as stored in <c>_mybi_runs</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>Succeeded (failures throw).</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Whether nothing was deleted on purpose.</summary>
    public required bool DryRun { get; init; }

    /// <summary>The horizon the run deleted before.</summary>
    public required RetentionHorizon Horizon { get; init; }

    /// <summary>The counts per table, in the order the tables were cleaned (children first).</summary>
    public required IReadOnlyList<RetentionTableResult> Tables { get; init; }

    /// <summary>Rows older than the horizon when the run looked.</summary>
    public long TotalWouldDelete => Tables.Sum(t => t.WouldDelete);

    /// <summary>Rows deleted.</summary>
    public long TotalDeleted => Tables.Sum(t => t.Deleted);

    /// <summary>One line for the run record and the terminal.</summary>
    public string Summary => Describe(DryRun, Horizon, Tables);

    internal static string Describe(bool dryRun, RetentionHorizon horizon, IReadOnlyList<RetentionTableResult> tables)
    {
        var counts = string.Join(", ", tables.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Table} {(dryRun ? t.WouldDelete : t.Deleted)}")));
        var total = tables.Sum(t => dryRun ? t.WouldDelete : t.Deleted);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{(dryRun ? "dry run: would delete" : "deleted")} {total} row(s) dated before {horizon}{(counts.Length > 0 ? $" ({counts})" : "")}");
    }
}

/// <summary>One table's counts.</summary>
/// <param name="Table">The table.</param>
/// <param name="DateColumn">The column its rows were dated by.</param>
/// <param name="WouldDelete">Rows older than the horizon before the run deleted any.</param>
/// <param name="Deleted">Rows deleted (0 in a dry run).</param>
public sealed record RetentionTableResult(string Table, string DateColumn, long WouldDelete, long Deleted);
