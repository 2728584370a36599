using System.Text.Json.Nodes;
using MyBi.Abstractions.Records;
using MyBi.Engine.Running;
using MyBi.Pipelines;
using MyBi.Rules;

namespace MyBi.Cli.Hosting;

/// <summary>Builds rule transforms from a pipeline: sandbox limits from its <c>rules:</c> block, one runner per run.</summary>
internal static class RuleTransforms
{
    public static IRowTransform? ForReport(ReportDefinition report, PipelineDefinition pipeline, TimeProvider timeProvider) =>
        report.RulesPath is null
            ? null
            : Create(report.RulesPath, pipeline, new RuleContext(report.Name, Today(timeProvider)), report.OnError == ReportErrorMode.Quarantine ? RuleErrorMode.Quarantine : RuleErrorMode.Fail);

    public static Dictionary<string, IRowTransform> ForStreams(PipelineDefinition pipeline, IReadOnlyList<string> selected, TimeProvider timeProvider)
    {
        var transforms = new Dictionary<string, IRowTransform>(StringComparer.Ordinal);
        foreach (var stream in pipeline.Source.Streams.Where(s => s.TransformPath is not null && (selected.Count == 0 || selected.Contains(s.Name))))
        {
            transforms[stream.Name] = Create(stream.TransformPath!, pipeline, new RuleContext(pipeline.Name, Today(timeProvider)) { Stream = stream.Name }, RuleErrorMode.Fail);
        }

        return transforms;
    }

    public static SandboxLimits Limits(PipelineDefinition pipeline)
    {
        var d = SandboxLimits.Default;
        var l = pipeline.RuleLimits;
        return l is null
            ? d
            : new SandboxLimits(l.Timeout ?? d.Timeout, l.MaxStatements ?? d.MaxStatements, l.MaxMemoryBytes ?? d.MaxMemoryBytes, l.MaxRecursion ?? d.MaxRecursionDepth);
    }

    private static RuleTransform Create(string path, PipelineDefinition pipeline, RuleContext context, RuleErrorMode mode)
    {
        var limits = Limits(pipeline);
        return new RuleTransform(new RuleRunner(RuleScript.Load(path), limits, context, mode), limits.MaxInputRows);
    }

    private static DateOnly Today(TimeProvider timeProvider) => DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);

    private sealed class RuleTransform(RuleRunner runner, int maxInputRows) : IRowTransform
    {
        public IReadOnlyList<TableSchema> Tables => runner.Tables;

        public RowTransformResult Transform(IReadOnlyList<JsonObject> rows, Func<JsonObject, string> keyOf, CancellationToken cancellationToken)
        {
            // The sandbox's budget is per call; an engine batch larger than one call allows is run in pieces.
            var batches = new List<RecordBatch>();
            var quarantined = new List<QuarantinedRow>();
            foreach (var chunk in rows.Chunk(maxInputRows))
            {
                var result = runner.Run(chunk, keyOf, cancellationToken);
                batches.AddRange(result.Tables.Values);
                quarantined.AddRange(result.RowErrors.Select(e => new QuarantinedRow(e.RowKey, e.Message, e.RowJson)));
            }

            return new RowTransformResult(batches, quarantined);
        }

        public void Dispose() => runner.Dispose();
    }
}
