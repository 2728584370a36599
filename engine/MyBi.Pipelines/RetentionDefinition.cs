namespace MyBi.Pipelines;

/// <summary>The <c>retention</c> block: which rows go stale after how many days.</summary>
public sealed class RetentionDefinition
{
    internal RetentionDefinition(int days, IReadOnlyList<string> tables, RetentionBasis by)
    {
        Days = days;
        Tables = tables;
        By = by;
    }

    /// <summary>Rows older than this many days are deleted (at least 1).</summary>
    public int Days { get; }

    /// <summary>The stream tables named in the file; empty means every eligible stream the pipeline loads.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>What dates a row: its business date or when it was loaded.</summary>
    public RetentionBasis By { get; }
}

/// <summary>What <c>retention.by</c> dates a row by.</summary>
public enum RetentionBasis
{
    /// <summary>The date the stream declares (<c>x-business-date</c>): a record's session time, a transaction's date.</summary>
    BusinessDate,

    /// <summary>When the row was last received (the <c>_loaded_at</c> column).</summary>
    LoadedAt,
}
