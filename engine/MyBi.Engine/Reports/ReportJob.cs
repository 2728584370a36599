using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Engine.Running;
using MyBi.Engine.State;

namespace MyBi.Engine.Reports;

/// <summary>One named custom export, as the pipeline file defines it, ready to run.</summary>
public sealed class ReportJob
{
    /// <summary>The pipeline name.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The job name (1..64 characters).</summary>
    public required string Name { get; init; }

    /// <summary>The loaded connector.</summary>
    public required SourceConnector Connector { get; init; }

    /// <summary>The source config, env substituted.</summary>
    public required JsonObject SourceConfig { get; init; }

    /// <summary>The report type's fields.</summary>
    public required ReportFields Report { get; init; }

    /// <summary>Selected fields (dotted paths), validated against the report's schema.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>Days re-read before where the last run ended.</summary>
    public int LookbackDays { get; init; } = 7;

    /// <summary>Whether rows land in their own typed table instead of JSON in the shared reports table.</summary>
    public bool FixStructure { get; init; }

    /// <summary>Rows are shaped by table-description rules when set.</summary>
    public IRowTransform? Transform { get; init; }

    /// <summary>Explicit period start.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Explicit period end (inclusive).</summary>
    public DateOnly? To { get; init; }

    /// <summary>The retention horizon, or null: no period, asked or refreshed, starts before it.</summary>
    public Retention.RetentionHorizon? Horizon { get; init; }

    /// <summary>Folder of the pipeline file.</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Rows per destination write.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Plan limits (history depth applies to explicit periods).</summary>
    public PlanLimits Plan { get; init; } = PlanLimits.Unlimited;

    /// <summary>Masks the pipeline's secrets in the run message stored in the destination.</summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;
}
