using System.Globalization;

namespace MyBi.Rules;

/// <summary>Read-only run parameters a rule sees as <c>ctx</c>.</summary>
public sealed class RuleContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="jobName">The pipeline job name (<c>ctx.job</c>).</param>
    /// <param name="runDate">The run's date (<c>ctx.runDate</c>, "yyyy-MM-dd"); the rule's frozen clock shows its midnight UTC.</param>
    public RuleContext(string jobName, DateOnly runDate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobName);
        JobName = jobName;
        RunDate = runDate;
    }

    /// <summary>The pipeline job name.</summary>
    public string JobName { get; }

    /// <summary>The run's date.</summary>
    public DateOnly RunDate { get; }

    /// <summary>The company the rows belong to, when the run is for one company (<c>ctx.companyId</c>, else null).</summary>
    public long? CompanyId { get; init; }

    /// <summary>The stream the input rows come from (<c>ctx.stream</c>, else null).</summary>
    public string? Stream { get; init; }

    /// <summary>
    /// Tables the rule may not declare because something else owns them, with a description of the owner such as
    /// "stream 'records'". Names compare case-insensitively, as destinations compare them. Names starting with
    /// <c>_mybi_</c> are always refused: they are the engine's own tables.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReservedTables { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    internal string RunDateText => RunDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
