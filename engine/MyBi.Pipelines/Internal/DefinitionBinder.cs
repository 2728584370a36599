using System.Text.Json;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace MyBi.Pipelines.Internal;

/// <summary>
/// Binds a document that passed <c>pipeline.schema.json</c> to the typed definition with System.Text.Json. It checks
/// nothing: the schema is the one statement of the file's rules (and <see cref="SemanticChecks"/> holds the few a
/// schema cannot express). It only applies what a definition adds: defaults, absolute paths, units.
/// </summary>
internal static class DefinitionBinder
{
    public static (PipelineDefinition? Definition, PipelineDiagnostic? Error) Bind(JObject root, string filePath, string baseDirectory, IReadOnlyCollection<string> secrets, PipelineDocument document)
    {
        PipelineFileModel model;
        try
        {
            model = JsonNodeConversion.ToObject(root).Deserialize(PipelineFileJsonContext.Default.PipelineFileModel)
                ?? throw new JsonException("the file is empty");
        }
        catch (JsonException ex)
        {
            // Only a value the schema admits but the model cannot hold gets here, which is a fault of this binder.
            return (null, document.ErrorAt(PathOf(ex.Path), "cannot be read as the schema describes it: " + ex.Message.Split(" Path:", 2)[0]));
        }

        var source = model.Source;
        var definition = new PipelineDefinition(
            filePath,
            baseDirectory,
            model.Name,
            new SourceDefinition(
                source.Connector,
                source.Config ?? [],
                source.Streams?.Select(s => new StreamSelection(s.Name, Resolve(s.Transform, baseDirectory))).ToList() ?? [],
                source.Filters is { } filters ? new Dictionary<string, JsonObject>(filters, StringComparer.Ordinal) : new Dictionary<string, JsonObject>(StringComparer.Ordinal)),
            new DestinationDefinition(model.Destination["type"]!.GetValue<string>(), model.Destination),
            model.Plan is { } plan ? new PlanDefinition(plan.HistoryDays, plan.RowsPerMonth) : null,
            new SyncDefinition(model.Sync?.BatchSize ?? SyncDefinition.DefaultBatchSize, model.Sync?.LookbackDays),
            model.Rules is { } rules
                ? new RuleLimitsDefinition(
                    rules.TimeoutMilliseconds is long milliseconds ? TimeSpan.FromMilliseconds(milliseconds) : null,
                    rules.MaxStatements,
                    rules.MaxMemoryMegabytes is long megabytes ? megabytes * 1024 * 1024 : null,
                    rules.MaxRecursion,
                    rules.MaxTables)
                : null,
            model.Reports?.Select(r => new ReportDefinition(
                r.Name,
                r.Type,
                r.Fields ?? [],
                r.Refresh?.LookbackDays,
                r.FixStructure ?? false,
                Resolve(r.Rules, baseDirectory),
                r.OnError ?? ReportErrorMode.Fail)).ToList() ?? [],
            Resolve(model.PluginsDir, baseDirectory),
            secrets)
        {
            Retention = model.Retention is { } retention
                ? new RetentionDefinition(retention.Days, retention.Tables ?? [], retention.By == "loaded_at" ? RetentionBasis.LoadedAt : RetentionBasis.BusinessDate)
                : null,
            Reconcile = model.Reconcile is { } reconcile
                ? new ReconcileDefinition(
                    reconcile.Streams ?? [],
                    reconcile.WindowDays ?? ReconcileDefinition.DefaultWindowDays,
                    reconcile.Reload ?? false,
                    reconcile.MaxNamedRows ?? ReconcileDefinition.DefaultMaxNamedRows)
                : null,
            Schedule = model.Schedule is { } schedule
                ? new ScheduleDefinition(
                    Cron(schedule.Sync),
                    schedule.Reports?.ToDictionary(r => r.Key, r => Cron(r.Value)!, StringComparer.Ordinal) ?? new Dictionary<string, CronSchedule>(StringComparer.Ordinal),
                    Cron(schedule.Reconcile),
                    Cron(schedule.Retention),
                    schedule.TimeZone)
                : null,
            Scheduler = model.Scheduler is { } scheduler
                ? new SchedulerDefinition(
                    scheduler.Store == "postgres" ? SchedulerStore.Postgres : SchedulerStore.Memory,
                    scheduler.Connection,
                    scheduler.CheckinInterval is double seconds ? TimeSpan.FromSeconds(seconds) : SchedulerDefinition.DefaultCheckinInterval)
                : null,
        };
        return (definition, null);
    }

    /// <summary>An expression <see cref="SemanticChecks"/> already accepted.</summary>
    private static CronSchedule? Cron(string? text) =>
        text is null ? null : CronSchedule.TryParse(text, out var cron, out var problem) ? cron : throw new JsonException(problem);

    private static string? Resolve(string? path, string baseDirectory) => path is null ? null : Path.GetFullPath(path, baseDirectory);

    /// <summary>System.Text.Json's <c>$.source.streams[0].name</c> as a document path (<c>source.streams[0].name</c>).</summary>
    private static string PathOf(string? jsonPath) =>
        jsonPath is { Length: > 1 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : DocumentPath.Root;
}
