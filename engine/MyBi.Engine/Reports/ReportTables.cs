using System.Text;
using MyBi.Abstractions.Records;

namespace MyBi.Engine.Reports;

/// <summary>The tables report jobs write: the shared JSON table, a job's own typed table, and the quarantine.</summary>
public static class ReportTables
{
    /// <summary>Run id column present in every report table; rows not rewritten by the current run are stale.</summary>
    public const string RunIdColumn = "_run_id";

    /// <summary>Date column of fixed-structure tables.</summary>
    public const string RowDateColumn = "_row_date";

    /// <summary>The shared table where rows land as JSON (e.g. <c>yclients_reports</c>).</summary>
    public static TableSchema Shared(string connector) => new(
        $"{connector}_reports",
        [
            new("job_name", ColumnType.String) { Description = "The report job's name." },
            new("report_type", ColumnType.String) { Description = "The report type." },
            new("company_id", ColumnType.Int64) { Description = "The company (branch) the row belongs to." },
            new("row_key", ColumnType.String) { Description = "The row's key within the company." },
            new("row_date", ColumnType.Date) { Description = "The row's date, by which periods are replaced." },
            new("data", ColumnType.Json) { Description = "The selected fields, by their dotted names." },
            new(RunIdColumn, ColumnType.String) { Description = "The run that last wrote the row." },
            new("loaded_at", ColumnType.Timestamp) { Description = "When the row was loaded." },
        ],
        ["job_name", "company_id", "row_key"])
    {
        Description = "Rows of custom report exports, as JSON.",
    };

    /// <summary>A fixed-structure job's own table: one typed column per selected field.</summary>
    public static TableSchema Fixed(string jobName, ReportFields report, IReadOnlyList<string> fields)
    {
        var keyColumn = ReportFields.ColumnName(report.Descriptor.KeyField);
        var columns = new List<ColumnSchema> { new("company_id", ColumnType.Int64) { Description = "The company (branch) the row belongs to." } };
        var selected = fields.Contains(report.Descriptor.KeyField, StringComparer.Ordinal) ? fields : [report.Descriptor.KeyField, .. fields];
        columns.AddRange(selected.Distinct(StringComparer.Ordinal).Select(report.ColumnFor).Where(c => c.Name != "company_id"));
        columns.Add(new ColumnSchema(RowDateColumn, ColumnType.Date) { Description = "The row's date, by which periods are replaced." });
        columns.Add(new ColumnSchema(RunIdColumn, ColumnType.String) { Description = "The run that last wrote the row." });
        columns.Add(new ColumnSchema("_loaded_at", ColumnType.Timestamp) { Description = "When the row was loaded." });
        return new TableSchema(FixedTableName(jobName), columns, ["company_id", keyColumn])
        {
            Description = $"Report job '{jobName}' ({report.Descriptor.Name}).",
        };
    }

    /// <summary>"Finance by day" → report_finance_by_day.</summary>
    public static string FixedTableName(string jobName)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        var slug = new StringBuilder("report_");
        foreach (var c in jobName.Trim().ToLowerInvariant())
        {
            slug.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return slug.ToString();
    }
}
