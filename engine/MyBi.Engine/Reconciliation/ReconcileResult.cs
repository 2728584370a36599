using System.Globalization;
using MyBi.Engine.State;

namespace MyBi.Engine.Reconciliation;

/// <summary>How a reconciliation ended: the days that differed, what was loaded again and the second check.</summary>
public sealed class ReconcileResult
{
    /// <summary>The run id, as stored in <c>_mybi_runs</c>.</summary>
    public required string RunId { get; init; }

    /// <summary>Succeeded (failures throw).</summary>
    public required RunStatus Status { get; init; }

    /// <summary>Whether nothing was loaded on purpose.</summary>
    public required bool DryRun { get; init; }

    /// <summary>The first day compared.</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last day compared.</summary>
    public required DateOnly To { get; init; }

    /// <summary>Requests the comparison sent to the source.</summary>
    public required long Requests { get; init; }

    /// <summary>(table, company, day) groups compared.</summary>
    public required long DaysCompared { get; init; }

    /// <summary>The days that differed, in table, company and day order.</summary>
    public required IReadOnlyList<DayDifference> Differences { get; init; }

    /// <summary>The days loaded again (empty without reload).</summary>
    public IReadOnlyList<DayDifference> Reloaded { get; init; } = [];

    /// <summary>Requests the reload sent to the source.</summary>
    public long ReloadRequests { get; init; }

    /// <summary>What the second check still found on the reloaded days; empty when it matched.</summary>
    public IReadOnlyList<DayDifference> AfterReload { get; init; } = [];

    /// <summary>One line for the run record and the terminal.</summary>
    public string Summary => Describe(From, To, Requests, DaysCompared, Differences, Reloaded.Count > 0 ? AfterReload : null, Reloaded.Count);

    internal static string Describe(DateOnly from, DateOnly to, long requests, long compared, IReadOnlyList<DayDifference> differences, IReadOnlyList<DayDifference>? afterReload, int reloaded)
    {
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"compared {compared} day(s) of {from:yyyy-MM-dd}..{to:yyyy-MM-dd} with {requests} request(s): {differences.Count} differ ({differences.Sum(d => d.Missing)} missing, {differences.Sum(d => d.Extra)} extra, {differences.Sum(d => d.Changed)} changed row(s))");
        if (afterReload is not null)
        {
            text += afterReload.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"; reloaded {reloaded} day(s), second check matched")
                : string.Create(CultureInfo.InvariantCulture, $"; reloaded {reloaded} day(s), second check still differs on {afterReload.Count} day(s)");
        }

        return text;
    }
}

/// <summary>One table's day of one company that differs between warehouse and source.</summary>
/// <param name="Table">The table.</param>
/// <param name="CompanyId">The company.</param>
/// <param name="Day">The company's local day.</param>
/// <param name="WarehouseRows">Rows of the day in the warehouse.</param>
/// <param name="SourceRows">Rows of the day at the source.</param>
/// <param name="Missing">Rows the source has and the warehouse lacks.</param>
/// <param name="Extra">Rows the warehouse has (not deleted) and the source lacks.</param>
/// <param name="Changed">Rows on both sides with a measure that differs.</param>
/// <param name="Rows">The first differing rows, named; at most the job's cap.</param>
public sealed record DayDifference(string Table, long CompanyId, DateOnly Day, long WarehouseRows, long SourceRows, long Missing, long Extra, long Changed, IReadOnlyList<RowDifference> Rows)
{
    /// <summary>Differing rows not named in <see cref="Rows"/>.</summary>
    public long Unnamed => Missing + Extra + Changed - Rows.Count;
}

/// <summary>One differing row.</summary>
/// <param name="Key">The row's primary key as "column=value, ...".</param>
/// <param name="Kind">missing, extra or changed.</param>
/// <param name="Field">For changed rows, the measure that differs (the first one; <see cref="Fields"/> has all).</param>
/// <param name="WarehouseValue">The warehouse's value of <paramref name="Field"/>.</param>
/// <param name="SourceValue">The source's value of <paramref name="Field"/>.</param>
/// <param name="Fields">Every differing measure of a changed row.</param>
public sealed record RowDifference(string Key, string Kind, string? Field, object? WarehouseValue, object? SourceValue, IReadOnlyList<string> Fields);
