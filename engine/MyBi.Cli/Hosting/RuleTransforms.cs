using MyBi.Abstractions.Errors;
using MyBi.Engine.Reports;
using MyBi.Pipelines;

namespace MyBi.Cli.Hosting;

/// <summary>Builds the rule transform of a report job.</summary>
internal static class RuleTransforms
{
    public static IReportRowTransform? Create(ReportDefinition report, PipelineDefinition pipeline, string connector)
    {
        _ = (pipeline, connector);
        return report.RulesPath is null ? null : throw MyBiException.Config($"Report '{report.Name}': rule files are not wired yet.");
    }
}
