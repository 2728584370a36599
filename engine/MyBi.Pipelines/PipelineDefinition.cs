namespace MyBi.Pipelines;

/// <summary>A valid pipeline file as typed values.</summary>
public sealed class PipelineDefinition
{
    internal PipelineDefinition(
        string filePath,
        string baseDirectory,
        string name,
        SourceDefinition source,
        DestinationDefinition destination,
        PlanDefinition? plan,
        SyncDefinition sync,
        RuleLimitsDefinition? ruleLimits,
        IReadOnlyList<ReportDefinition> reports,
        string? pluginsDirectory,
        IReadOnlyCollection<string> secretValues)
    {
        FilePath = filePath;
        BaseDirectory = baseDirectory;
        Name = name;
        Source = source;
        Destination = destination;
        Plan = plan;
        Sync = sync;
        RuleLimits = ruleLimits;
        Reports = reports;
        PluginsDirectory = pluginsDirectory;
        SecretValues = secretValues;
    }

    /// <summary>The pipeline file (absolute when loaded from disk).</summary>
    public string FilePath { get; }

    /// <summary>The folder relative paths in the file are resolved against (absolute).</summary>
    public string BaseDirectory { get; }

    /// <summary>The pipeline name: the key of its state and run history.</summary>
    public string Name { get; }

    /// <summary>The <c>source</c> block.</summary>
    public SourceDefinition Source { get; }

    /// <summary>The <c>destination</c> block.</summary>
    public DestinationDefinition Destination { get; }

    /// <summary>The <c>plan</c> block, or <see langword="null"/>.</summary>
    public PlanDefinition? Plan { get; }

    /// <summary>The <c>sync</c> block, with defaults applied.</summary>
    public SyncDefinition Sync { get; }

    /// <summary>The <c>rules</c> block (sandbox limits), or <see langword="null"/>.</summary>
    public RuleLimitsDefinition? RuleLimits { get; }

    /// <summary>The custom report jobs in file order.</summary>
    public IReadOnlyList<ReportDefinition> Reports { get; }

    /// <summary>The <c>retention</c> block, or <see langword="null"/> when the pipeline keeps everything.</summary>
    public RetentionDefinition? Retention { get; internal init; }

    /// <summary>The <c>reconcile</c> block, or null when the file has none.</summary>
    public ReconcileDefinition? Reconcile { get; internal init; }

    /// <summary>The <c>schedule</c> block, or <see langword="null"/> when nothing runs on its own.</summary>
    public ScheduleDefinition? Schedule { get; internal init; }

    /// <summary>The <c>scheduler</c> block, or <see langword="null"/> for an in-memory store.</summary>
    public SchedulerDefinition? Scheduler { get; internal init; }

    /// <summary>The plugin folder as an absolute path, or <see langword="null"/> for the default.</summary>
    public string? PluginsDirectory { get; }

    /// <summary>
    /// Values to hide from any output: everything read from an environment variable and every value of a key whose
    /// pipeline schema says <c>"x-secret": true</c> (strings of at least 4 characters). Fixed once parsed: secrets
    /// that a connector's config schema marks are read with <see cref="PipelineDocument.SecretValues"/>.
    /// </summary>
    public IReadOnlyCollection<string> SecretValues { get; }

    /// <summary>
    /// The variables under <c>source.config</c> that are not set, when the file was loaded for a command that never
    /// reaches the source (<c>query</c>, <c>status</c>, <c>discover</c>); empty otherwise.
    /// </summary>
    public IReadOnlyList<string> UnsetSourceVariables { get; internal set; } = [];
}
