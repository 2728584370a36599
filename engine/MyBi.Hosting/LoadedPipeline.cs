using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Reports;
using MyBi.Engine.Retention;
using MyBi.Engine.Schema;
using MyBi.Engine.Running;
using MyBi.Engine.State;
using MyBi.Pipelines;
using MyBi.Plugins.Hosting;

namespace MyBi.Hosting;

/// <summary>
/// A pipeline file that passed every check (<see cref="PipelineLoader"/>), with what it takes to run it: its
/// connector, its destination, the jobs it defines and the values to redact from anything shown or stored.
/// </summary>
public sealed class LoadedPipeline
{
    private readonly SourceConnector? _connector;
    private readonly TimeProvider _timeProvider;

    internal LoadedPipeline(PipelineDefinition definition, SourceConnector? connector, PluginCatalog catalog, string? notice, IReadOnlyCollection<string> secretValues, TimeProvider timeProvider)
    {
        Definition = definition;
        _connector = connector;
        Catalog = catalog;
        Notice = notice;
        SecretValues = secretValues;
        Redactor = new SecretRedactor(secretValues);
        _timeProvider = timeProvider;
    }

    /// <summary>The pipeline file as typed values.</summary>
    public PipelineDefinition Definition { get; }

    /// <summary>The connector's id (source.connector).</summary>
    public string ConnectorId => Definition.Source.Connector;

    /// <summary>The loaded connector; only when the pipeline was loaded with <see cref="PluginLoading.Load"/>.</summary>
    public SourceConnector Connector => _connector ?? throw new InvalidOperationException("The pipeline was checked without loading its plugin.");

    /// <summary>What the user should know about the checks that could not be made, or null.</summary>
    public string? Notice { get; }

    /// <summary>The plugins found where this pipeline looks for them.</summary>
    public PluginCatalog Catalog { get; }

    /// <summary>
    /// Every value to redact: those read from the environment or the secrets file, and those of keys the pipeline
    /// schema or the connector's config schema marks secret. Fixed when the pipeline is loaded.
    /// </summary>
    public IReadOnlyCollection<string> SecretValues { get; }

    /// <summary>Masks <see cref="SecretValues"/>; given to the jobs, so stored run messages are redacted too.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>The streams the file selects in file order; empty means every stream.</summary>
    public IReadOnlyList<string> SelectedStreams => Definition.Source.Streams.Select(s => s.Name).ToList();

    /// <summary>Opens the pipeline's destination (not yet connected); the caller disposes it.</summary>
    public Destination CreateDestination() =>
        DestinationRegistry.Get(Definition.Destination.Type).Create(Definition.Destination.Config, Definition.BaseDirectory);

    /// <summary>
    /// A sync of <paramref name="streams"/> (null or empty: the file's selection) with their rule transforms; the
    /// caller disposes the job's transforms. With <paramref name="from"/> alone the period ends today.
    /// </summary>
    public SyncJob CreateSyncJob(IReadOnlyList<string>? streams = null, DateOnly? from = null, DateOnly? to = null)
    {
        RequireSourceSettings("a sync");
        var selected = streams is { Count: > 0 } ? streams : SelectedStreams;
        return new SyncJob
        {
            Pipeline = Definition.Name,
            Connector = Connector,
            SourceConfig = Definition.Source.Config,
            Streams = selected,
            Filters = Definition.Source.Filters,
            Transforms = RuleTransforms.ForStreams(Definition, Connector, selected, _timeProvider),
            From = from,
            To = to ?? (from is null ? null : DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime)),
            BaseDirectory = Definition.BaseDirectory,
            BatchSize = Definition.Sync.BatchSize,
            Plan = Plan,
            Redactor = Redactor,
            Horizon = Horizon,
        };
    }

    /// <summary>
    /// The retention horizon syncs, reconciliations and report refreshes clip their periods to: only with
    /// <c>retention.by: business_date</c>, as rows dated by their load come back young whenever they are loaded.
    /// </summary>
    public RetentionHorizon? Horizon => Definition.Retention is { By: RetentionBasis.BusinessDate } retention
        ? RetentionHorizon.At(retention.Days, _timeProvider.GetUtcNow())
        : null;

    /// <summary>
    /// The retention run of the file's <c>retention</c> block: the named tables (or every eligible stream the pipeline
    /// loads) with their child streams, children first. A pipeline without the block is a configuration error.
    /// </summary>
    public RetentionJob CreateRetentionJob(bool dryRun)
    {
        var retention = Definition.Retention
            ?? throw MyBiException.Config($"Pipeline '{Definition.Name}' has no retention block; add e.g. 'retention: {{days: 90}}' to its file.");
        var loaded = (SelectedStreams.Count > 0 ? SelectedStreams.Select(n => Connector.Streams.First(s => s.Name == n)) : Connector.Streams)
            .Where(s => Definition.Source.Streams.FirstOrDefault(x => x.Name == s.Name)?.TransformPath is null)
            .ToList();
        var byLoad = retention.By == RetentionBasis.LoadedAt;
        var chosen = retention.Tables.Count > 0
            ? loaded.Where(s => retention.Tables.Contains(s.Name, StringComparer.Ordinal)).ToList()
            : loaded.Where(s => byLoad || s.BusinessDate is not null).ToList();
        var parents = chosen.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        chosen.AddRange(loaded.Where(s => s.Parent is { } parent && parents.Contains(parent) && !parents.Contains(s.Name) && (byLoad || s.BusinessDate is not null)));
        var targets = chosen
            .OrderBy(s => s.Parent is null ? 1 : 0)
            .Select(s => new RetentionTarget(s.Name, StreamSchemaCompiler.Compile(s).Table, byLoad ? StreamSchemaCompiler.LoadedAtColumn : s.BusinessDate!, s.Parent))
            .ToList();
        return new RetentionJob
        {
            Pipeline = Definition.Name,
            Days = retention.Days,
            Tables = targets,
            DryRun = dryRun,
            BatchSize = Definition.Sync.BatchSize,
            Redactor = Redactor,
        };
    }

    /// <summary>
    /// The reconciliation of the file's <c>reconcile</c> block over <paramref name="from"/>..<paramref name="to"/>, by
    /// default the last <c>window_days</c> up to today (the runner clips the start to the retention horizon). A
    /// pipeline without the block is a configuration error.
    /// </summary>
    public Engine.Reconciliation.ReconcileJob CreateReconcileJob(DateOnly? from, DateOnly? to, bool dryRun)
    {
        var reconcile = Definition.Reconcile
            ?? throw MyBiException.Config($"Pipeline '{Definition.Name}' has no reconcile block; add e.g. 'reconcile: {{window_days: 30}}' to its file.");
        var end = to ?? DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
        var start = from ?? end.AddDays(1 - reconcile.WindowDays);
        if (start > end)
        {
            throw MyBiException.Config($"The period starts ({start:yyyy-MM-dd}) after it ends ({end:yyyy-MM-dd}).");
        }

        var sync = CreateSyncJob(ReconciledStreams(reconcile), start, end);
        return new Engine.Reconciliation.ReconcileJob
        {
            Sync = sync,
            DryRun = dryRun,
            Reload = reconcile.Reload,
            MaxNamedRows = reconcile.MaxNamedRows,

            // The connector's page size when the file sets one (the YCLIENTS default otherwise), for the estimate only.
            PageSize = Definition.Source.Config["page_size"] is System.Text.Json.Nodes.JsonValue size && size.TryGetValue<int>(out var rows) && rows > 0 ? rows : 200,
        };
    }

    /// <summary>The streams a reconciliation compares: those named, or the default ones the pipeline loads into their own tables.</summary>
    private List<string> ReconciledStreams(ReconcileDefinition reconcile)
    {
        if (reconcile.Streams.Count > 0)
        {
            return reconcile.Streams.ToList();
        }

        var loaded = (SelectedStreams.Count > 0 ? SelectedStreams : Connector.Streams.Select(s => s.Name).ToList())
            .Where(n => Definition.Source.Streams.FirstOrDefault(x => x.Name == n)?.TransformPath is null)
            .ToHashSet(StringComparer.Ordinal);
        var chosen = ReconcileDefinition.DefaultStreams.Where(loaded.Contains).ToList();
        return chosen.Count > 0
            ? chosen
            : throw MyBiException.Config($"Pipeline '{Definition.Name}' loads none of the streams reconcile compares by default ({string.Join(", ", ReconcileDefinition.DefaultStreams)}); name them in reconcile.streams.");
    }

    /// <summary>The report job named <paramref name="name"/>; an unknown name is a configuration error.</summary>
    public ReportJob CreateReportJob(string name, DateOnly? from = null, DateOnly? to = null)
    {
        RequireSourceSettings("a report export");
        var report = Definition.Reports.FirstOrDefault(r => r.Name == name)
            ?? throw MyBiException.Config($"Pipeline '{Definition.Name}' has no report job '{name}'; it has: {string.Join(", ", Definition.Reports.Select(r => $"'{r.Name}'"))}.");
        var type = Connector.ReportTypes.First(t => t.Name == report.Type);
        return new ReportJob
        {
            Pipeline = Definition.Name,
            Name = report.Name,
            Connector = Connector,
            SourceConfig = Definition.Source.Config,
            Report = ReportFields.Of(type),
            Fields = report.Fields,
            LookbackDays = report.LookbackDays ?? 7,
            FixStructure = report.FixStructure,
            Transform = RuleTransforms.ForReport(report, Definition, Connector, _timeProvider),
            From = from,
            To = to,
            BaseDirectory = Definition.BaseDirectory,
            BatchSize = Definition.Sync.BatchSize,
            Plan = Plan,
            Redactor = Redactor,
            Horizon = Horizon,
        };
    }

    /// <summary>
    /// Refuses to reach the source when the file was loaded with <see cref="SourceCredentials.NotNeeded"/> and some of
    /// its settings are missing, naming the variables and where they are read from.
    /// </summary>
    public void RequireSourceSettings(string what)
    {
        if (Definition.UnsetSourceVariables.Count > 0)
        {
            throw MyBiException.Config(
                $"{what} of '{Definition.Name}' reaches the source, which needs {string.Join(", ", Definition.UnsetSourceVariables)}; "
                + "set them in the environment or in .mybi/secrets.env beside the pipeline file.");
        }
    }

    private PlanLimits Plan => new() { HistoryDays = Definition.Plan?.HistoryDays, RowsPerMonth = Definition.Plan?.RowsPerMonth };
}
