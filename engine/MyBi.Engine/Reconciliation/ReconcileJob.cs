using MyBi.Engine.Running;

namespace MyBi.Engine.Reconciliation;

/// <summary>Everything one reconciliation needs, already validated by the caller.</summary>
public sealed class ReconcileJob
{
    /// <summary>The column every compared table names its company by.</summary>
    public const string CompanyColumn = "company_id";

    /// <summary>The column every compared table dates its rows by: the company's local day.</summary>
    public const string DayColumn = "date_local";

    /// <summary>The measures compared where a table has them; status is attendance and deleted.</summary>
    public static IReadOnlyList<string> Measures { get; } = ["cost", "amount", "first_cost", "cost_per_unit", "attendance", "deleted"];

    /// <summary>
    /// The sync of the compared period: its streams are the compared ones, <see cref="SyncJob.From"/> and
    /// <see cref="SyncJob.To"/> the period. The source is read exactly as this sync would read it, and the
    /// differing days are loaded again through it.
    /// </summary>
    public required SyncJob Sync { get; init; }

    /// <summary>Compare and report only: nothing is loaded again.</summary>
    public bool DryRun { get; init; }

    /// <summary>Load the differing days again, then compare them a second time.</summary>
    public bool Reload { get; init; }

    /// <summary>Differing rows named per table and day; the rest are counted.</summary>
    public int MaxNamedRows { get; init; } = 20;

    /// <summary>Day entries written to the journal per run; the summary entry counts the rest.</summary>
    public int MaxJournalDays { get; init; } = 200;

    /// <summary>Source rows one comparison may hold; a longer period is refused with a hint to shorten it.</summary>
    public long MaxSourceRows { get; init; } = 2_000_000;

    /// <summary>Rows per source page, for the request estimate of a dry run.</summary>
    public int PageSize { get; init; } = 200;
}
