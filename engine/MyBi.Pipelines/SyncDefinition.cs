namespace MyBi.Pipelines;

/// <summary>The <c>sync</c> block (always present, with defaults when the file has none).</summary>
public sealed class SyncDefinition
{
    /// <summary>The batch size used when the file names none.</summary>
    public const int DefaultBatchSize = 5000;

    internal SyncDefinition(int batchSize, int? lookbackDays)
    {
        BatchSize = batchSize;
        LookbackDays = lookbackDays;
    }

    /// <summary>Rows per destination batch.</summary>
    /// <value>Defaults to 5000.</value>
    public int BatchSize { get; }

    /// <summary>Days re-read before the stored cursor, or <see langword="null"/> for the connector's default.</summary>
    public int? LookbackDays { get; }
}
