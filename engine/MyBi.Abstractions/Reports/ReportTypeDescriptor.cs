namespace MyBi.Abstractions.Reports;

/// <summary>
/// A report type a connector can export on demand (a custom export): rows of one JSON Schema, from which a
/// report job picks fields.
/// </summary>
public sealed class ReportTypeDescriptor
{
    /// <summary>The type name used in pipeline files (<c>reports[].type</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The JSON Schema of one row, as text; nested objects give dotted field paths (account.title).</summary>
    public required string JsonSchema { get; init; }

    /// <summary>The field that identifies a row within a company (dotted path).</summary>
    public required string KeyField { get; init; }

    /// <summary>The field holding the row's date, by which periods are loaded and replaced (dotted path); null when the report has no date.</summary>
    public string? DateField { get; init; }

    /// <summary>What the report holds.</summary>
    public string? Description { get; init; }
}
