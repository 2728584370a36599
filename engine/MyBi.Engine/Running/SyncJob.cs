using System.Text.Json.Nodes;
using MyBi.Abstractions.Connectors;
using MyBi.Engine.State;

namespace MyBi.Engine.Running;

/// <summary>Everything one sync run needs, already validated by the caller.</summary>
public sealed class SyncJob
{
    /// <summary>The pipeline name; state and run records are kept under it.</summary>
    public required string Pipeline { get; init; }

    /// <summary>The loaded connector.</summary>
    public required SourceConnector Connector { get; init; }

    /// <summary>The source config block, env substituted.</summary>
    public required JsonObject SourceConfig { get; init; }

    /// <summary>Selected streams; empty means all the connector offers.</summary>
    public IReadOnlyList<string> Streams { get; init; } = [];

    /// <summary>Row filters per stream.</summary>
    public IReadOnlyDictionary<string, JsonObject> Filters { get; init; } = new Dictionary<string, JsonObject>();

    /// <summary>Rule transforms by stream name: such a stream's rows land in the rule's tables instead of its own.</summary>
    public IReadOnlyDictionary<string, IRowTransform> Transforms { get; init; } = new Dictionary<string, IRowTransform>();

    /// <summary>Explicit period start.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Explicit period end (inclusive).</summary>
    public DateOnly? To { get; init; }

    /// <summary>
    /// The retention horizon, or null: the period is clipped to it (with a warning), the connector is asked for
    /// nothing older, and rows dated before it that come anyway are not loaded.
    /// </summary>
    public Retention.RetentionHorizon? Horizon { get; init; }

    /// <summary>Folder of the pipeline file.</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Plan limits.</summary>
    public PlanLimits Plan { get; init; } = PlanLimits.Unlimited;

    /// <summary>Rows per destination write.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Approximate bytes one stream may buffer before it is written, even short of <see cref="BatchSize"/> rows.</summary>
    public long MaxBatchBytes { get; init; } = StreamBuffers.DefaultMaxBatchBytes;

    /// <summary>Masks the pipeline's secrets in the run message stored in the destination.</summary>
    public SecretRedactor Redactor { get; init; } = SecretRedactor.None;
}
