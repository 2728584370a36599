using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Records;
using MyBi.Abstractions.Streams;
using MyBi.Engine.Reports;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Pipelines;
using MyBi.Rules;

namespace MyBi.Hosting;

/// <summary>Builds rule transforms from a pipeline: sandbox limits from its <c>rules:</c> block, one runner per run.</summary>
internal static class RuleTransforms
{
    public static IRowTransform? ForReport(ReportDefinition report, PipelineDefinition pipeline, SourceConnector connector, TimeProvider timeProvider)
    {
        if (report.RulesPath is null)
        {
            return null;
        }

        var context = new RuleContext(report.Name, Today(timeProvider)) { ReservedTables = ReservedTables(pipeline, connector.Streams) };
        return Create(report.RulesPath, pipeline, context, report.OnError == ReportErrorMode.Quarantine ? RuleErrorMode.Quarantine : RuleErrorMode.Fail);
    }

    public static Dictionary<string, IRowTransform> ForStreams(PipelineDefinition pipeline, SourceConnector connector, IReadOnlyList<string> selected, TimeProvider timeProvider)
    {
        var transforms = new Dictionary<string, IRowTransform>(StringComparer.Ordinal);
        var reserved = ReservedTables(pipeline, connector.Streams);
        try
        {
            foreach (var stream in pipeline.Source.Streams.Where(s => s.TransformPath is not null && (selected.Count == 0 || selected.Contains(s.Name))))
            {
                var context = new RuleContext(pipeline.Name, Today(timeProvider)) { Stream = stream.Name, ReservedTables = new Dictionary<string, string>(reserved, StringComparer.OrdinalIgnoreCase) };
                var transform = Create(stream.TransformPath!, pipeline, context, RuleErrorMode.Fail);
                transforms[stream.Name] = transform;

                // The next rule may not declare this one's tables either.
                foreach (var table in transform.Tables)
                {
                    reserved.TryAdd(table.Name, TableOwner.Rule(pipeline.Name, "stream", stream.Name).ToString());
                }
            }
        }
        catch
        {
            foreach (var transform in transforms.Values)
            {
                transform.Dispose();
            }

            throw;
        }

        return transforms;
    }

    /// <summary>
    /// Tables a rule of this pipeline may not declare, with their owners: every stream the connector offers (another
    /// pipeline may load it), the shared report table and each fixed-structure report job's table. Names starting
    /// with _mybi_ are refused by the sandbox itself.
    /// </summary>
    public static Dictionary<string, string> ReservedTables(PipelineDefinition pipeline, IEnumerable<StreamDescriptor> streams)
    {
        var reserved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var stream in streams)
        {
            reserved.TryAdd(stream.Name, TableOwner.Stream(pipeline.Name, stream.Name).ToString());
        }

        reserved.TryAdd(ReportTables.Shared(pipeline.Source.Connector).Name, TableOwner.SharedReports.ToString());
        foreach (var report in pipeline.Reports.Where(r => r.FixStructure && r.RulesPath is null))
        {
            reserved.TryAdd(ReportTables.FixedTableName(report.Name), TableOwner.Report(pipeline.Name, report.Name).ToString());
        }

        return reserved;
    }

    public static SandboxLimits Limits(PipelineDefinition pipeline)
    {
        var d = SandboxLimits.Default;
        var l = pipeline.RuleLimits;
        return l is null
            ? d
            : new SandboxLimits(l.Timeout ?? d.Timeout, l.MaxStatements ?? d.MaxStatements, l.MaxMemoryBytes ?? d.MaxMemoryBytes, l.MaxRecursion ?? d.MaxRecursionDepth)
            {
                MaxTables = l.MaxTables ?? d.MaxTables,
            };
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
