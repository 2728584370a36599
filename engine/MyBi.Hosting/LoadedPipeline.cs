using MyBi.Abstractions.Connectors;
using MyBi.Abstractions.Destinations;
using MyBi.Abstractions.Errors;
using MyBi.Engine.Reports;
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
        };
    }

    /// <summary>The report job named <paramref name="name"/>; an unknown name is a configuration error.</summary>
    public ReportJob CreateReportJob(string name, DateOnly? from = null, DateOnly? to = null)
    {
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
        };
    }

    private PlanLimits Plan => new() { HistoryDays = Definition.Plan?.HistoryDays, RowsPerMonth = Definition.Plan?.RowsPerMonth };
}
