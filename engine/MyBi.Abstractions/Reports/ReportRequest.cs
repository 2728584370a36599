namespace MyBi.Abstractions.Reports;

/// <summary>What the engine asks a source session to export.</summary>
public sealed class ReportRequest
{
    /// <summary>The report type (one of <see cref="Connectors.SourceConnector.ReportTypes"/>).</summary>
    public required string ReportType { get; init; }

    /// <summary>First day of the period.</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last day of the period (inclusive).</summary>
    public required DateOnly To { get; init; }
}
